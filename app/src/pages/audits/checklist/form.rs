use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::quality_audits::RecordChecklist,
    components::form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
    domain::calendar::local_date,
    format::format_date,
    i18n::{fill, use_locale, use_texts},
    types::quality_audits::{ChecklistView, CHECKLIST_ITEMS, MAX_FINDINGS_CHARS},
};

/// The six yes/no items and the findings. "Not established" stays possible, e.g. whether the
/// citizen is satisfied when they could not be reached.
#[component]
pub fn ChecklistForm(view: ChecklistView, record: ServerAction<RecordChecklist>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let values = use_form_values();
    let error = action_error(record);
    let v = view;
    let last = v.checked_by.clone().zip(v.checked_at.map(local_date));
    // After a plain post that failed, the flash store gives back what was chosen.
    let kept = move |k: &str| values.get(k);
    let findings = kept("findings").or(v.findings.clone()).unwrap_or_default();
    let disabled = !v.can_record;
    view! {
        <section class="card">
            <h2>{move || t().audit_open_checklist}</h2>
            {last.map(|(name, day)| view! {
                <p data-testid="checked-by">{move || fill(t().audit_checked_by, &[("name", &name), ("date", &format_date(day, locale.get()))])}</p>
            })}
            {disabled.then(|| view! { <p class="notice" data-testid="read-only">{move || t().audit_read_only}</p> })}
            <FormNotice error />
            <ActionForm action=record attr:class="stack" attr:data-testid="checklist-form">
                <input type="hidden" name="audit_id" value=v.audit_id />
                <input type="hidden" name="code" value=v.code.clone() />
                {CHECKLIST_ITEMS.iter().zip(v.answers.iter().copied()).map(|(item, stored)| {
                    let current = kept(item).unwrap_or_else(|| match stored {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => String::new(),
                    });
                    let key = format!("audit_item_{item}");
                    view! {
                        <fieldset class="answer" data-testid=format!("item-{item}") disabled=disabled>
                            <legend>{move || t().get(&key).unwrap_or_default()}</legend>
                            {["yes", "no", ""].into_iter().map(|value| {
                                let label = move || match value {
                                    "yes" => t().audit_yes,
                                    "no" => t().audit_no,
                                    _ => t().audit_unknown,
                                };
                                view! {
                                    <label class="check">
                                        <input type="radio" name=*item value=value checked=current == value
                                            data-testid=format!("{item}-{}", if value.is_empty() { "unknown" } else { value }) />
                                        {label}
                                    </label>
                                }
                            }).collect_view()}
                            <FieldMessage field=*item error />
                        </fieldset>
                    }
                }).collect_view()}
                <label>{move || t().audit_findings}
                    <textarea name="findings" rows="4" maxlength=MAX_FINDINGS_CHARS disabled=disabled>{findings}</textarea>
                    <FieldMessage field="findings" error />
                </label>
                {(!disabled).then(|| view! {
                    <button type="submit" class="primary" data-testid="checklist-submit">{move || t().audit_record}</button>
                })}
            </ActionForm>
        </section>
    }
}
