use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::complaints::FileComplaint,
    components::{
        form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
        office_select::OfficeSelect,
    },
    i18n::use_texts,
    types::complaints::COMPLAINT_CATEGORIES,
};

/// `/complaints/new`: category, office, optional case code, the text and an optional phone.
#[component]
pub fn NewComplaintPage() -> impl IntoView {
    let t = use_texts();
    let values = use_form_values();
    let kept = move |k: &'static str| values.or_default(k);
    let file = ServerAction::<FileComplaint>::new();
    let error = action_error(file);
    view! {
        <Title text=move || t().complaint_new_title />
        <h1>{move || t().complaint_new_title}</h1>
        <p class="lede">{move || t().complaint_new_lede}</p>
        <FormNotice error />
        <ActionForm action=file attr:class="stack card" attr:data-testid="complaint-form">
            <fieldset>
                <legend>{move || t().complaint_category}</legend>
                {COMPLAINT_CATEGORIES.into_iter().map(|c| {
                    let key = format!("complaint_category_{c}");
                    let checked = move || kept("category") == c;
                    view! {
                        <label class="check">
                            <input type="radio" name="category" value=c checked=checked required />
                            {move || t().get(&key).unwrap_or_default()}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage field="category" error />
            </fieldset>
            <label>{move || t().complaint_office}
                <OfficeSelect name="office_code" selected=Signal::derive(move || kept("office")) />
                <FieldMessage field="office_code" error />
            </label>
            <label>{move || t().complaint_case_code}
                <input name="case_code" inputmode="numeric" maxlength="20" value=move || kept("case_code") />
                <FieldMessage field="case_code" error />
            </label>
            <label>{move || t().complaint_body}
                <textarea name="body" rows="6" required maxlength="4000">{move || kept("body")}</textarea>
                <FieldMessage field="body" error />
            </label>
            <label>{move || t().complaint_phone}
                <input name="phone" type="tel" inputmode="tel" maxlength="20" value=move || kept("phone") />
                <FieldMessage field="phone" error />
            </label>
            <button type="submit" class="primary" data-testid="complaint-submit">{move || t().complaint_submit}</button>
        </ActionForm>
    }
}
