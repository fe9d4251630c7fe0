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
"""The GET forms of the Balance panel: ledger filters and month picker."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from uos_billing.horizon import display
from uos_billing.horizon import labels


class LedgerFilterForm(forms.Form):
    """Kind and date range of the ledger entries shown (all when empty)."""

    kind = forms.ChoiceField(
        label=_('Kind'), required=False,
        choices=(('', _('All kinds')),) + labels.TRANSACTION_KINDS)
    begin = forms.DateField(label=_('From'), required=False,
                            widget=forms.DateInput(attrs={'type': 'date'}))
    end = forms.DateField(label=_('To'), required=False,
                          widget=forms.DateInput(attrs={'type': 'date'}))

    def clean(self):
        cleaned = super().clean()
        begin, end = cleaned.get('begin'), cleaned.get('end')
        if begin and end and end < begin:
            raise forms.ValidationError(
                _('The end date is before the begin date.'))
        return cleaned

    def api_filters(self):
        """The API's kind/begin/end (end is exclusive: the next midnight)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        filters = {}
        if data.get('kind'):
            filters['kind'] = data['kind']
        if data.get('begin'):
            filters['begin'] = '%sT00:00:00+00:00' % data['begin'].isoformat()
        if data.get('end'):
            next_day = data['end'] + datetime.timedelta(days=1)
            filters['end'] = '%sT00:00:00+00:00' % next_day.isoformat()
        return filters

    def query(self):
        """The form's valid values as query parameters (for page links)."""
        if not self.is_valid():
            return {}
        return {k: (v.isoformat() if hasattr(v, 'isoformat') else v)
                for k, v in self.cleaned_data.items() if v}


class MonthForm(forms.Form):
    """The month of the statement shown."""

    month = forms.ChoiceField(label=_('Month'), required=False)

    def __init__(self, *args, **kwargs):
        today = kwargs.pop('today')
        super().__init__(*args, **kwargs)
        self.fields['month'].choices = [
            (m, m) for m in display.recent_months(today)]
        self.default = display.month_of(today)

    def chosen_month(self):
        if self.is_valid() and self.cleaned_data.get('month'):
            return self.cleaned_data['month']
        return self.default
