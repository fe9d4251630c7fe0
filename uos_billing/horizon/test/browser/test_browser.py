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
"""A person's path through the panels, in headless Chromium.

Horizon runs on loopback against the local stack's Keystone and
CloudKitty (``tools/stack/start``); Chromium is Debian's, driven by
Playwright. An admin creates a product and recharges the test's project;
its member sees the balance, buys a monthly term (the quote is shown and
the balance drops by it), cancels it (the refund is shown and the balance
rises by it) and reads the statement; the admin recharges again. Its VM
is served by Horizon's Nova stand-in and registered in the stack's Gnocchi
in the test's project, as Ceilometer registers the VMs it polls, since a
term can only be bought for a resource of the ordering project.
Screenshots of every panel go to work/horizon-browser/ (PNG).

It is part of ``tox -e horizon``: it starts the stack when it is not
running (and stops it again after, unless UOS_BILLING_STACK_KEEP is set),
and is skipped, with the reason, only when the stack cannot run on this
machine (as the stack's own smoke test) or UOS_BILLING_HORIZON_BROWSER=0.
Just this test: ``tox -e horizon -- -k browser``.
"""

import decimal
import os
import re
import time
import uuid

import pytest

from uos_billing.horizon.test.browser import stack

WHY_NOT = ('UOS_BILLING_HORIZON_BROWSER=0'
           if os.environ.get('UOS_BILLING_HORIZON_BROWSER') == '0'
           else stack.cannot_run())
pytestmark = pytest.mark.skipif(
    WHY_NOT is not None,
    reason='the browser test cannot run here: %s' % WHY_NOT)

CHROMIUM = os.environ.get('UOS_BILLING_CHROMIUM', '/usr/bin/chromium')
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu',
                 '--disable-background-networking',
                 '--disable-component-update', '--disable-sync',
                 '--no-first-run']
WORK = os.path.join(stack.REPO, 'work', 'horizon-browser')
MONTHLY_PRICE = decimal.Decimal('30.00')
RECHARGE = decimal.Decimal('100.00')
TOP_UP = decimal.Decimal('5.00')


def money(text):
    """'1,234.5 EUR' -> Decimal('1234.5')."""
    found = re.search(r'-?[0-9][0-9,]*(\.[0-9]+)?', text)
    assert found, 'no amount in %r' % text
    return decimal.Decimal(found.group(0).replace(',', ''))


@pytest.fixture(scope='module')
def world():
    started = stack.start_stack()
    try:
        yield from _world()
    finally:
        if started and not os.environ.get('UOS_BILLING_STACK_KEEP'):
            stack.stop_stack()


def _world():
    info = stack.stack_info()
    keystone = stack.Keystone(info['keystone_url'], info['admin_password'])
    project_id = keystone.project_with_member(info['member_password'])
    run = time.strftime('%Y%m%d%H%M%S')
    flavor = 'hzb.%s' % run
    instance = {'id': str(uuid.uuid4()), 'name': 'browser-vm-%s' % run,
                'status': 'ACTIVE', 'flavor_id': flavor,
                'flavor_name': flavor}
    os.makedirs(WORK, exist_ok=True)
    stack.install_enabled_files()
    gnocchi = stack.Gnocchi(info['gnocchi_url'])
    gnocchi.add_instance(instance, project_id)
    server = stack.HorizonServer(info['keystone_url'], [instance], WORK)
    try:
        server.start()
        yield {'info': info, 'project_id': project_id, 'flavor': flavor,
               'instance': instance, 'url': server.url}
    finally:
        server.stop()
        gnocchi.end_instance(instance['id'])


@pytest.fixture(scope='module')
def browser():
    from playwright import sync_api
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Person(object):
    """One signed-in user's page."""

    def __init__(self, browser, world, username, password):
        self.world = world
        self.context = browser.new_context(
            viewport={'width': 1400, 'height': 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(90000)
        self.go('/auth/login/')
        self.page.fill('#id_username', username)
        self.page.fill('#id_password', password)
        self.page.click('#loginBtn')
        self.page.wait_for_url(re.compile(r'.*/(project|admin|identity)/.*'))

    def go(self, path):
        self.page.goto(self.world['url'] + path)
        self.page.wait_for_load_state('networkidle')

    def shot(self, name):
        self.page.screenshot(path=os.path.join(WORK, name + '.png'),
                             full_page=True)

    def submit_modal(self, form_id, button=None):
        self.page.click(button or '#%s input[type=submit]' % form_id)

    def success(self):
        """The success message, or the failure the page shows instead."""
        alert = self.page.wait_for_selector(
            '.alert-success, .alert-danger')
        text = alert.inner_text()
        if 'alert-success' not in (alert.get_attribute('class') or ''):
            raise AssertionError('no success message: the page says %r' %
                                 text)
        return text

    def close(self):
        self.context.close()


def admin_creates_product_and_recharges(admin, world, amount, shot):
    project_id = world['project_id']
    admin.go('/admin/billing_accounts/')
    before = admin.page.inner_text('#accounts__row__%s' % project_id)
    admin.page.click('#accounts__row_%s__action_recharge' % project_id)
    admin.page.wait_for_selector('#recharge_form #id_amount')
    admin.page.fill('#recharge_form #id_amount', str(amount))
    admin.page.fill('#recharge_form #id_note', 'browser test')
    admin.shot(shot + '-recharge-form')
    admin.submit_modal('recharge_form')
    message = admin.success()
    assert 'Recharged %s EUR' % amount in message, message
    admin.shot(shot + '-accounts')
    return before, message


def member_balance(member, shot):
    member.go('/project/billing_balance/')
    member.page.wait_for_selector('#billing-account')
    member.shot(shot)
    return money(member.page.inner_text('#billing-account dd.billing-figure'))


def test_member_buys_and_cancels_a_term_admin_recharges(world, browser):
    info = world['info']
    admin = Person(browser, world, 'admin', info['admin_password'])

    # Admin > Billing > Products: a product for the test's flavor.
    admin.go('/admin/billing_products/')
    admin.shot('01-admin-products')
    admin.page.click('#products__action_create')
    admin.page.wait_for_selector('#create_product_form #id_name')
    admin.page.fill('#id_name', 'browser %s' % world['flavor'])
    admin.page.fill('#id_match', 'flavor_name=%s' % world['flavor'])
    admin.page.fill('#id_on_demand_price', '0.05')
    admin.page.fill('#id_monthly_price', str(MONTHLY_PRICE))
    admin.page.fill('#id_currency', 'EUR')
    admin.shot('02-admin-product-form')
    admin.submit_modal('create_product_form')
    assert 'created' in admin.success()
    admin.shot('03-admin-products-created')

    # Admin > Billing > Accounts: money for the test's project.
    admin_creates_product_and_recharges(admin, world, RECHARGE, '04-admin')
    admin.close()

    member = Person(browser, world, stack.MEMBER, info['member_password'])
    balance = member_balance(member, '05-member-balance')

    # Project > Billing > Orders: buy a monthly term, quote first.
    member.go('/project/billing_orders/')
    member.page.click('#orders__action_buy')
    member.page.wait_for_selector('#buy_term_form #billing-get-quote')
    member.shot('06-member-buy-form')
    member.page.click('#billing-get-quote')
    total = member.page.wait_for_selector('#billing-quote-total')
    quoted = money(total.inner_text())
    assert quoted == MONTHLY_PRICE
    member.shot('07-member-buy-quote')
    member.page.click('#billing-confirm-purchase')
    assert 'paid' in member.success()
    member.shot('08-member-orders')
    row = member.page.locator('#orders tbody tr', has_text='Active').first
    order_id = row.get_attribute('data-object-id')

    after_buy = member_balance(member, '09-member-balance-after-buy')
    assert after_buy == balance - quoted, (balance, quoted, after_buy)

    # Cancel: the refund is shown before confirming.
    member.go('/project/billing_orders/')
    member.page.click('#orders__row_%s__action_cancel' % order_id)
    shown = member.page.wait_for_selector('#billing-refund-amount')
    estimate = money(shown.inner_text())
    assert decimal.Decimal(0) < estimate <= quoted
    member.shot('10-member-cancel-refund')
    member.submit_modal('cancel_order_form')
    message = member.success()
    refunded = money(re.search(r'cancelled: (.*) refunded',
                               message).group(1))
    assert decimal.Decimal(0) < refunded <= estimate, (estimate, refunded)
    member.shot('11-member-orders-cancelled')
    after_cancel = member_balance(member, '12-member-balance-after-cancel')
    assert after_cancel == after_buy + refunded, (after_buy, refunded,
                                                  after_cancel)

    member.go('/project/billing_balance/statement/')
    member.shot('13-member-statement')
    member.close()

    # The admin recharges the project again.
    admin = Person(browser, world, 'admin', info['admin_password'])
    admin_creates_product_and_recharges(admin, world, TOP_UP, '14-admin')
    member = Person(browser, world, stack.MEMBER, info['member_password'])
    final = member_balance(member, '15-member-balance-after-recharge')
    assert final == after_cancel + TOP_UP
    member.close()

    # And ends the test's product, so that it prices nothing after.
    admin.go('/admin/billing_products/')
    row = admin.page.locator('#products tbody tr',
                             has_text='browser %s' % world['flavor']).first
    product_id = row.get_attribute('data-object-id')
    row.locator('.dropdown-toggle').click()
    admin.page.click('#products__row_%s__action_end' % product_id)
    admin.page.wait_for_selector('#end_product_form')
    admin.shot('16-admin-end-product')
    admin.submit_modal('end_product_form')
    assert 'ends' in admin.success()
    admin.shot('17-admin-products-ended')
    admin.close()
