use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::{apply::ApplyOnline, catalogue::list_catalogue},
    components::{
        applicant_fields::ApplicantFields,
        form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
        office_select::OfficeSelect,
    },
    format::format_riel,
    i18n::{use_locale, use_texts},
};

/// `/apply`: a citizen picks a service and an office and gives the applicant's details. The case
/// then waits at the office's front desk for the documents; its code and PIN follow it.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let values = use_form_values();
    let kept = move |k: &'static str| values.or_default(k);
    let catalogue = Resource::new(|| (), |_| list_catalogue());
    let apply = ServerAction::<ApplyOnline>::new();
    let error = action_error(apply);
    view! {
        <Title text=move || t().apply_title />
        <h1>{move || t().apply_title}</h1>
        <p class="lede">{move || t().apply_lede}</p>
        <FormNotice error />
        <ActionForm action=apply attr:class="stack card" attr:data-testid="apply-form">
            <label>{move || t().case_service}
                <Suspense fallback=move || view! { <select name="service_id" required></select> }>
                    {move || catalogue.get().and_then(Result::ok).map(|sectors| {
                        let chosen = kept("service");
                        let l = locale.get();
                        view! {
                            <select name="service_id" required data-testid="apply-service">
                                <option value="">"—"</option>
                                {sectors.into_iter().map(|sector| view! {
                                    <optgroup label=l.pick(&sector.name_km, &sector.name_en).to_string()>
                                        {sector.services.into_iter().map(|s| {
                                            let label = format!("{} · {}", l.pick(&s.name_km, &s.name_en), format_riel(s.fee_riel, l));
                                            let is_chosen = s.id.to_string() == chosen;
                                            view! { <option value=s.id.to_string() selected=is_chosen>{label}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <FieldMessage field="service_id" error />
            </label>
            <label>{move || t().quantity}
                <input name="quantity" type="number" min="1" max="10000" value=move || { let q = kept("quantity"); if q.is_empty() { "1".to_string() } else { q } } />
                <FieldMessage field="quantity" error />
            </label>
            <label>{move || t().complaint_office}
                <OfficeSelect name="office_code" selected=Signal::derive(move || kept("office")) />
                <FieldMessage field="office_code" error />
            </label>
            <ApplicantFields error values />
            <p><small>{move || t().apply_note}</small></p>
            <button type="submit" class="primary" data-testid="apply-submit">{move || t().apply_submit}</button>
        </ActionForm>
    }
}
