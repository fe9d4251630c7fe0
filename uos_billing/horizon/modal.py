# Copyright 2026 uos-billing developers
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""The bases of the panels' modal forms and their views.

What every modal of the panels shares: a form whose submission is a call
to the billing API that may be refused (BillingForm.submit), and a view of
one billing object named in the URL, read from the API or, when it cannot
be, back to the panel's list with the reason (ObjectFormView).
"""

from django.urls import reverse
from horizon import exceptions
from horizon import forms

from uos_billing.horizon import api_errors


class ModalFormView(forms.ModalFormView):
    """Horizon's modal form view, showing an unhandled form as it is.

    Horizon's form_invalid builds the context (and so a second form) before
    putting the submitted form in it; here the submitted form is the one
    the context is built with, so what it computed (a quote) is shown and
    the API is not asked twice. The page's title is the modal's header.
    """

    @property
    def page_title(self):
        return self.modal_header

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form))


class ObjectFormView(ModalFormView):
    """A modal form on one billing object, its id a keyword of the URL.

    Subclasses name the keyword (url_kwarg), the URL of the form's
    submission (submit_url_name, taking the id), the panel's list
    (index_url, also where a submitted form leads), the headline of a
    refused read (not_shown) and the name of the object in the template's
    context (context_object_name), and read the object in fetch().
    get_object() reads it once; when the API refuses, the refusal is shown
    and the user goes back to the list, unless missing_ok and the API said
    404: then the object is None.
    """

    url_kwarg = None
    submit_url_name = None
    index_url = None
    not_shown = None
    context_object_name = None
    missing_ok = False

    @property
    def success_url(self):
        return reverse(self.index_url)

    def fetch(self, object_id):
        raise NotImplementedError

    def object_id(self):
        return self.kwargs[self.url_kwarg]

    def get_object(self):
        if not hasattr(self, '_object'):
            try:
                self._object = self.fetch(self.object_id())
            except api_errors.BillingAPIError as error:
                if not (self.missing_ok and error.status == 404):
                    api_errors.report(self.request, error, self.not_shown)
                    raise exceptions.Http302(reverse(self.index_url))
                self._object = None
        return self._object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context['submit_url'] = reverse(self.submit_url_name,
                                        args=(self.object_id(),))
        context[self.context_object_name] = self.get_object()
        return context


class BillingForm(forms.SelfHandlingForm):
    """A form whose submission calls the billing API.

    A refusal naming one of the form's fields is shown on that field when
    refusals_on_fields is true; otherwise, and for every other refusal, as
    an error message headed by what was not done.
    """

    refusals_on_fields = True

    def show_again(self, **values):
        """Show the form again, with values in place of those submitted.

        What handle() returns to show it (False).
        """
        self.data = self.data.copy()
        for name, value in values.items():
            self.data[name] = value
        return False

    def submit(self, request, headline, call, *args, **kwargs):
        """call(request, *args, **kwargs), or None when it was refused.

        handle() then shows the form again (returns False or the like).
        """
        try:
            return call(request, *args, **kwargs)
        except api_errors.BillingAPIError as error:
            if self.refusals_on_fields:
                api_errors.report_on_form(self, request, error, headline)
            else:
                api_errors.report(request, error, headline)
            return None
