use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::quality_audits::AssignAuditCase,
    i18n::{use_locale, use_texts},
    pages::audits::officer_label,
    types::quality_audits::{Officer, SampledCase},
};

/// The sampled cases in code order, each linking to its checklist. The user who drew the audit
/// can give any case to another officer from here.
#[component]
pub fn SampledCases(
    audit_id: i32,
    cases: Vec<SampledCase>,
    officers: Vec<Officer>,
    assign: ServerAction<AssignAuditCase>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let can_assign = !officers.is_empty();
    view! {
        <section class="card">
            <h2>{move || t().audit_cases}</h2>
            <table class="table" data-testid="audit-cases">
                <thead><tr>
                    <th>{move || t().case_code}</th>
                    <th>{move || t().audit_office}</th>
                    <th>{move || t().case_service}</th>
                    <th>{move || t().audit_assignee}</th>
                    <th>{move || t().audit_checked}</th>
                </tr></thead>
                <tbody>
                    {cases.into_iter().map(|c| {
                        let href = format!("/audits/{audit_id}/cases/{}", c.code);
                        let service = (c.service_km.clone(), c.service_en.clone());
                        let checked = c.checked;
                        let officers = officers.clone();
                        let (code, assigned) = (c.code.clone(), c.assigned_user_id);
                        view! {
                            <tr data-testid=format!("sampled-{}", c.code)>
                                <td><a href=href data-testid="checklist-link">{c.code.clone()}</a></td>
                                <td data-testid="sampled-office">{c.office_code.clone()}</td>
                                <td>{move || locale.get().pick(&service.0, &service.1).to_string()}</td>
                                <td>
                                    {c.assignee.clone().unwrap_or_else(|| "—".into())}
                                    {can_assign.then(|| view! {
                                        <ActionForm action=assign attr:class="inline">
                                            <input type="hidden" name="audit_id" value=audit_id />
                                            <input type="hidden" name="code" value=code.clone() />
                                            <select name="user_id" aria-label=move || t().audit_reassign>
                                                {officers.iter().map(|o| view! {
                                                    <option value=o.id selected=assigned == Some(o.id)>{officer_label(o)}</option>
                                                }).collect_view()}
                                            </select>
                                            <button type="submit">{move || t().audit_reassign}</button>
                                        </ActionForm>
                                    })}
                                </td>
                                <td data-testid="sampled-checked">{move || if checked { t().audit_checked } else { t().audit_not_checked }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
