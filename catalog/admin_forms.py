"""Forms of the catalog's pages in the Wagtail admin."""

from wagtail.admin.forms import WagtailAdminPageForm


class EpisodePageForm(WagtailAdminPageForm):
    """Counts the end-test questions being saved with the page, so that the page's own check of
    ``questions_per_attempt`` sees them: they are attached only after the page validates."""

    def clean(self):
        cleaned_data = super().clean()
        questions = self.formsets.get("questions")
        if questions is not None and questions.is_valid():
            self.instance.questions_submitted = sum(
                1
                for index, form in enumerate(questions.forms)
                if (index < questions.initial_form_count() or form.has_changed())
                and not questions._should_delete_form(form)
            )
        return cleaned_data
