from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "touzi.disclosure"
    verbose_name = "信息公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from touzi.disclosure import scoping
        from touzi.disclosure.limits import office_building_check
        from touzi.projects import registration

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # 严禁新建楼堂馆所: a hook into projects' registration, which imports nothing of this app.
        registration.register(office_building_check)
