use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::{
    api::{cases::RegisterCase, catalogue::list_catalogue},
    components::{
        applicant_fields::ApplicantFields,
        form_feedback::{action_error, use_form_values, FieldMessage},
    },
    format::{format_number, format_riel},
    i18n::{use_locale, use_texts},
};
use address::AddressFields;

mod address;

/// The front-desk registration form. Choosing the service is a GET form (without JavaScript a
/// round trip per "show choices", with it in place); the applicant and the address then sit in
/// one registration form ([`AddressFields`]).
#[component]
pub fn NewCasePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let values = use_form_values();
    let param = move |k: &'static str| values.get(k);
    let catalogue = Resource::new(|| (), |_| list_catalogue());
    let action = ServerAction::<RegisterCase>::new();
    let quantity = RwSignal::new(
        param("quantity")
            .and_then(|q| q.parse::<i64>().ok())
            .unwrap_or(1),
    );

    view! {
        <Title text=move || t().new_case_title />
        <h1>{move || t().new_case_title}</h1>
        {move || param("error").map(|k| view! { <p class="error" role="alert">{move || t().get(&k).unwrap_or(t().err_bad_request)}</p> })}
        // The service choice and the registration form render apart: the form is drawn once a
        // service is chosen and never redrawn by the address's lists.
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || {
                let catalogue = catalogue.get()?.ok()?;
                let sector = param("sector").and_then(|s| s.parse::<i32>().ok());
                let service_id = param("service").and_then(|s| s.parse::<i32>().ok());
                let needle = param("service_q").map(|q| q.to_lowercase());
                let chosen = catalogue.iter().flat_map(|s| s.services.iter()).find(|s| Some(s.id) == service_id).cloned();
                let sector = sector.or(chosen.as_ref().map(|s| s.sector_id));
                let matching: Vec<_> = catalogue
                    .iter()
                    .filter(|s| sector.is_none_or(|id| s.id == id))
                    .flat_map(|s| s.services.iter())
                    .filter(|s| needle.as_ref().is_none_or(|n| s.name_km.to_lowercase().contains(n) || s.name_en.to_lowercase().contains(n) || s.code.to_lowercase().contains(n)))
                    .cloned()
                    .collect();
                let l = locale.get();
                Some(view! {
                    <Form method="GET" action="" attr:class="card stack" attr:data-testid="choices">
                        <h2>{move || t().new_case_choose}</h2>
                        <label>{move || t().sector}
                            <select name="sector" on:change=submit_own_form>
                                <option value="">{move || t().all}</option>
                                {catalogue.iter().map(|s| view! { <option value=s.id.to_string() selected=sector == Some(s.id)>{l.pick(&s.name_km, &s.name_en).to_string()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{move || t().service_search}<input type="search" name="service_q" value=param("service_q").unwrap_or_default() /></label>
                        <label>{move || t().case_service}
                            <select name="service" data-testid="service-select" on:change=submit_own_form>
                                <option value="">"—"</option>
                                {matching.iter().map(|s| view! { <option value=s.id.to_string() selected=service_id == Some(s.id)>{format!("{} · {}", s.code, l.pick(&s.name_km, &s.name_en))}</option> }).collect_view()}
                            </select>
                        </label>
                        <button type="submit" data-testid="update-choices">{move || t().update_choices}</button>
                    </Form>
                })
            }}
        </Suspense>
        <Suspense>
            {move || {
                let catalogue = catalogue.get()?.ok()?;
                let service_id = param("service").and_then(|s| s.parse::<i32>().ok());
                let svc = catalogue.iter().flat_map(|s| s.services.iter()).find(|s| Some(s.id) == service_id).cloned()?;
                let l = locale.get_untracked();
                let fee = svc.fee_riel;
                let docs = if l == crate::i18n::Locale::Km { svc.documents_km.clone() } else { svc.documents_en.clone() };
                Some(view! {
                    <ActionForm action=action attr:class="card stack" attr:data-testid="register-form">
                        <h2>{l.pick(&svc.name_km, &svc.name_en).to_string()}</h2>
                        <p data-testid="fee-line">
                            {move || format_riel(fee, locale.get())}" × "{move || format_number(quantity.get(), locale.get())}" = "
                            <strong>{move || format_riel(fee * quantity.get(), locale.get())}</strong>
                        </p>
                        <input type="hidden" name="service_id" value=svc.id.to_string() />
                        <fieldset>
                            <legend>{move || t().documents}</legend>
                            {docs.into_iter().enumerate().map(|(i, d)| {
                                let checked = values.get(&format!("doc_{i}")).is_some();
                                view! { <label class="check"><input type="checkbox" name=format!("documents[{i}]") value=i.to_string() checked=checked required />{d}</label> }
                            }).collect_view()}
                        </fieldset>
                        <label>{move || t().quantity}
                            <input name="quantity" type="number" min="1" max="10000" value=quantity.get_untracked().to_string()
                                on:input=move |ev| quantity.set(event_target_value(&ev).parse().unwrap_or(1)) />
                            <FieldMessage field="quantity" error=action_error(action) />
                        </label>
                        <ApplicantFields error=action_error(action) values />
                        <AddressFields error=action_error(action) values />
                        <button type="submit" class="primary" data-testid="register-submit">{move || t().register_submit}</button>
                    </ActionForm>
                })
            }}
        </Suspense>
    }
}

/// With JavaScript, a new choice asks for the next level at once (the router's GET form, so in
/// place); without it, the "show choices" button does.
fn submit_own_form(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = event_target::<web_sys::HtmlElement>(&ev)
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
        if let Some(form) = form {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}
