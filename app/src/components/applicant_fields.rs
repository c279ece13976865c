use leptos::prelude::*;

use crate::{
    components::form_feedback::{FieldMessage, FormValues},
    error::AppError,
    i18n::{use_locale, use_texts},
};

/// The applicant's part of a registration form: a person or an enterprise, names, sex, date of
/// birth, phone and identity numbers. Shared by the front desk's form and online
/// pre-registration; what a failed plain post typed comes back through `values`.
#[component]
pub fn ApplicantFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    values: FormValues,
) -> impl IntoView {
    let t = use_texts();
    let param = move |k: &str| values.or_default(k);
    let locale = use_locale();
    let language = move || {
        let kept = param("notice_language");
        if kept.is_empty() {
            locale.get().code().to_string()
        } else {
            kept
        }
    };
    view! {
        <label>{move || t().applicant_kind}
            <select name="applicant_kind">
                <option value="person" selected=move || param("kind") != "enterprise">{move || t().person}</option>
                <option value="enterprise" selected=move || param("kind") == "enterprise">{move || t().enterprise}</option>
            </select>
        </label>
        <label>{move || t().name_km}<input name="name_km" lang="km" value=move || param("name_km") maxlength="200" /><FieldMessage field="name_km" error /></label>
        <label>{move || t().name_latin}<input name="name_latin" value=move || param("name_latin") maxlength="200" /><FieldMessage field="name_latin" error /></label>
        <label>{move || t().sex}
            <select name="sex">
                <option value="">"—"</option>
                <option value="F" selected=move || param("sex") == "F">{move || t().sex_female}</option>
                <option value="M" selected=move || param("sex") == "M">{move || t().sex_male}</option>
            </select>
            <FieldMessage field="sex" error />
        </label>
        <label>{move || t().date_of_birth}<input name="date_of_birth" type="date" value=move || param("date_of_birth") /><FieldMessage field="date_of_birth" error /></label>
        <label>{move || t().phone}<input name="phone" type="tel" inputmode="tel" value=move || param("phone") /><FieldMessage field="phone" error /></label>
        <fieldset class="notice-choice" data-testid="notice-choice">
            <legend>{move || t().notice_choice_legend}</legend>
            <label>{move || t().notice_language}
                // The citizen's messages follow the language of the form they fill in unless they
                // choose otherwise; at the counter the officer asks.
                <select name="notice_language">
                    <option value="km" selected=move || language() == "km">{move || t().language_name_km}</option>
                    <option value="en" selected=move || language() == "en">{move || t().language_name_en}</option>
                </select>
                <FieldMessage field="notice_language" error />
            </label>
            <label class="check">
                <input type="checkbox" name="sms_declined" value="on" checked=move || !param("sms_declined").is_empty() />
                {move || t().notice_sms_declined}
            </label>
        </fieldset>
        <label>{move || t().id_card_number}<input name="id_card_number" value=move || param("id_card_number") maxlength="20" /><FieldMessage field="id_card_number" error /></label>
        <label>{move || t().registration_number}<input name="registration_number" value=move || param("registration_number") maxlength="40" /><FieldMessage field="registration_number" error /></label>
    }
}
