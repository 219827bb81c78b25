from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "touzi.field"
    verbose_name = "现场"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from touzi.field import scoping
        from touzi.field.services import save_report_photos
        from touzi.reports.extensions import UploadHandler, register_upload

        scoping.register()  # the scoping rules of this app's models (touzi.core.scoping)
        # Reports sits below and imports none of this app: the progress photos join its forms through its hook.
        register_upload(UploadHandler(field="photos", label=_("现场照片(可直接拍照,可多张)"), accept="image/*",
                                      capture="environment", save=save_report_photos,
                                      detail_template="field/_report_photos.html"))
