use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::AdminNav;
use crate::{
    api::admin::{get_service_edit, SaveService},
    components::form_feedback::{action_error, FieldMessage, FormNotice},
    components::page_error::PageError,
    domain::{workflow::MANDATORY_STAGES, Stage},
    i18n::{use_locale, use_texts},
    types::admin::ServiceEdit,
};

/// One service's fee, time standard, documents and workflow template.
#[component]
pub fn ServiceAdminPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveService>::new();
    let service = Resource::new(
        move || (id(), save.version().get()),
        |(id, _)| get_service_edit(id),
    );
    let saved = move || {
        query.with(|q| q.get("saved")).is_some() || matches!(save.value().get(), Some(Ok(())))
    };
    view! {
        <Title text=move || t().admin_services />
        <AdminNav system_admin=true />
        {move || saved().then(|| view! { <p class="notice" role="status" data-testid="notice">{move || t().admin_saved}</p> })}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || service.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(edit) => view! { <ServiceForm edit save /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ServiceForm(edit: ServiceEdit, save: ServerAction<SaveService>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let error = action_error(save);
    let s = edit.service.clone();
    let (name_km, name_en) = (s.name_km.clone(), s.name_en.clone());
    let open_at = move |stage: Stage| {
        edit.open_cases
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    view! {
        <h1>{s.code.clone()}" · "{move || locale.get().pick(&name_km, &name_en).to_string()}</h1>
        <FormNotice error />
        <ActionForm action=save attr:class="stack card" attr:data-testid="service-form">
            <input type="hidden" name="id" value=s.id />
            <label>{move || t().admin_fee}
                <input name="fee_riel" inputmode="numeric" required value=s.fee_riel.to_string() />
                <small>{move || t().admin_fee_hint}</small>
                <FieldMessage field="fee_riel" error />
            </label>
            <label>{move || t().admin_time_standard}
                <input name="time_standard_days" type="number" min="1" max="365" required value=s.time_standard_days.to_string() />
                <FieldMessage field="time_standard_days" error />
            </label>
            <label class="check">
                <input type="checkbox" name="active" checked=edit.active />
                {move || t().admin_offered}
            </label>
            <label>{move || t().admin_documents_km}
                <textarea name="documents_km" rows="5">{s.documents_km.join("\n")}</textarea>
                <FieldMessage field="documents_km" error />
            </label>
            <label>{move || t().admin_documents_en}
                <textarea name="documents_en" rows="5">{s.documents_en.join("\n")}</textarea>
                <FieldMessage field="documents_en" error />
            </label>
            <fieldset>
                <legend>{move || t().admin_workflow}</legend>
                <p><small>{move || t().admin_workflow_hint}</small></p>
                <FieldMessage field="steps" error />
                <table class="table">
                    <thead><tr><th>{move || t().case_stage}</th><th>{move || t().admin_days}</th></tr></thead>
                    <tbody>
                        {Stage::ALL.into_iter().map(|stage| {
                            let step = edit.steps.iter().find(|st| st.stage == stage);
                            let included = step.is_some();
                            let days = step.map(|st| st.working_days).unwrap_or(0);
                            let key = stage.text_key();
                            let mandatory = MANDATORY_STAGES.contains(&stage);
                            let open = open_at(stage);
                            view! {
                                <tr>
                                    <td>
                                        <label class="check">
                                            {if mandatory {
                                                view! { <input type="checkbox" checked disabled /> }.into_any()
                                            } else {
                                                view! { <input type="checkbox" name=format!("include[{}]", stage.id()) checked=included data-testid=format!("include-{}", stage.id()) /> }.into_any()
                                            }}
                                            {move || t().get(&key).unwrap_or_default()}
                                        </label>
                                        {(open > 0).then(|| view! { <small>{move || crate::format::format_count(open as i64, locale.get(), t().admin_open_cases_one, t().admin_open_cases)}</small> })}
                                    </td>
                                    <td>
                                        <input name=format!("days[{}]", stage.id()) type="number" min="0" max="365" size="4" value=days.to_string() aria-label=move || t().admin_days />
                                        <FieldMessage field=format!("days_{}", stage.id()) error />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </fieldset>
            <p><small>{move || t().admin_fee_change_note}</small></p>
            <button type="submit" class="primary" data-testid="save-service">{move || t().admin_save}</button>
        </ActionForm>
    }
}
