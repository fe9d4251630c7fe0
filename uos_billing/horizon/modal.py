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
"""The base of the panels' modal form views."""

from horizon import forms


class ModalFormView(forms.ModalFormView):
    """Horizon's modal form view, showing an unhandled form as it is.

    Horizon's form_invalid builds the context (and so a second form) before
    putting the submitted form in it; here the submitted form is the one
    the context is built with, so what it computed (a quote) is shown and
    the API is not asked twice.
    """

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form))
