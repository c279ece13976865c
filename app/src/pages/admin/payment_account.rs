use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use super::AdminNav;
use crate::{
    api::payments::{get_payment_account, SavePaymentAccount},
    components::{
        form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
        page_error::PageError,
    },
    domain::khqr::{MAX_ACCOUNT_ID, MAX_BANK, MAX_CITY, MAX_MERCHANT_ID, MAX_MERCHANT_NAME},
    format::format_date_time,
    i18n::{use_locale, use_texts},
    types::payments::PaymentAccountPage,
};

/// The office's Bakong account, which every KHQR of the office pays into. Office administrators
/// set their own office's; the system administrator picks an office by its code.
#[component]
pub fn PaymentAccountAdminPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let office = move || query.with(|q| q.get("office"));
    let save = ServerAction::<SavePaymentAccount>::new();
    let page = Resource::new(
        move || (office(), save.version().get()),
        |(office, _)| get_payment_account(office),
    );
    view! {
        <Title text=move || t().pay_account_title />
        <h1>{move || t().pay_account_title}</h1>
        {move || query.with(|q| q.get("saved")).map(|_| view! { <p class="notice" role="status" data-testid="notice">{move || t().admin_saved}</p> })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || page.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(page) => view! {
                    <AdminNav system_admin=page.any_office />
                    {let office = page.office_code.clone(); page.any_office.then(move || view! {
                        <Form method="GET" action="" attr:class="search">
                            <label>{move || t().pay_office}
                                <input name="office" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" value=office />
                            </label>
                            <button type="submit">{move || t().search}</button>
                        </Form>
                    })}
                    <AccountForm page save />
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn AccountForm(page: PaymentAccountPage, save: ServerAction<SavePaymentAccount>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let values = use_form_values();
    let error = action_error(save);
    let stored = page.account.clone().unwrap_or_default();
    // A failed plain-form post comes back with what was typed; otherwise the stored account.
    let value = move |field: &'static str, stored: String| values.get(field).unwrap_or(stored);
    let (name_km, name_en) = (page.office_name_km.clone(), page.office_name_en.clone());
    view! {
        <section class="card">
            <h2>{move || locale.get().pick(&name_km, &name_en).to_string()}" · "{page.office_code.clone()}</h2>
            <p class="muted">{move || t().pay_account_intro}</p>
            {page.account.is_none().then(|| view! { <p class="notice" data-testid="no-account">{move || t().pay_account_none}</p> })}
            {page.updated_at.map(|at| view! { <p class="muted">{move || t().pay_updated}" "{move || format_date_time(at, locale.get())}</p> })}
            <FormNotice error />
            <ActionForm action=save attr:class="stack" attr:data-testid="payment-account-form">
                <input type="hidden" name="office_code" value=page.office_code.clone() />
                <label>{move || t().pay_account_id}
                    <input name="account_id" required maxlength=MAX_ACCOUNT_ID.to_string() autocomplete="off" spellcheck="false" placeholder="name@bank" value=value("account_id", stored.account_id.clone()) />
                    <FieldMessage field="account_id" error />
                </label>
                <label>{move || t().pay_merchant_name}
                    <input name="merchant_name" required maxlength=MAX_MERCHANT_NAME.to_string() lang="en" value=value("merchant_name", stored.merchant_name.clone()) />
                    <FieldMessage field="merchant_name" error />
                </label>
                <label>{move || t().pay_merchant_name_km}
                    <input name="merchant_name_km" required maxlength=MAX_MERCHANT_NAME.to_string() lang="km" value=value("merchant_name_km", stored.merchant_name_km.clone()) />
                    <FieldMessage field="merchant_name_km" error />
                </label>
                <label>{move || t().pay_city}
                    <input name="city" required maxlength=MAX_CITY.to_string() lang="en" value=value("city", stored.city.clone()) />
                    <FieldMessage field="city" error />
                </label>
                <label>{move || t().pay_merchant_id}
                    <input name="merchant_id" maxlength=MAX_MERCHANT_ID.to_string() value=value("merchant_id", stored.merchant_id.clone()) />
                    <FieldMessage field="merchant_id" error />
                </label>
                <label>{move || t().pay_acquiring_bank}
                    <input name="acquiring_bank" maxlength=MAX_BANK.to_string() value=value("acquiring_bank", stored.acquiring_bank.clone()) />
                    <FieldMessage field="acquiring_bank" error />
                </label>
                <button type="submit" class="primary" data-testid="save-payment-account">{move || t().admin_save}</button>
            </ActionForm>
        </section>
    }
}
