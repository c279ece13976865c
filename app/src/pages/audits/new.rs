use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use super::officer_label;
use crate::{
    api::quality_audits::{new_audit_form, DrawAudit},
    components::form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
    components::page_error::PageError,
    i18n::{use_locale, use_texts},
    types::quality_audits::{DrawDefaults, CAP_MAX, PER_OFFICE_MAX},
};

/// Suggested sizes: a few cases per office keeps a quarter's phoning within reach.
const DEFAULT_PER_OFFICE: i32 = 3;
const DEFAULT_CAP: i32 = 300;

/// `/audits/new`: year, quarter, area, n per office, cap, seed and the officers to assign.
#[component]
pub fn NewAuditPage() -> impl IntoView {
    let t = use_texts();
    let defaults = Resource::new(|| (), |_| new_audit_form());
    view! {
        <Title text=move || t().audit_new_title />
        <h1>{move || t().audit_new_title}</h1>
        <p class="lede">{move || t().audit_new_lede}</p>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || defaults.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(d) => view! { <DrawFormView defaults=d /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DrawFormView(defaults: DrawDefaults) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let draw = ServerAction::<DrawAudit>::new();
    let error = action_error(draw);
    // After a plain post that failed, the flash store gives back what was typed.
    let values = use_form_values();
    let kept = move |k: &'static str, default: String| values.get(k).unwrap_or(default);
    let chosen: Option<Vec<i32>> = values
        .get("officers")
        .map(|ids| ids.split(',').filter_map(|i| i.parse().ok()).collect());
    let d = defaults;
    let (year, quarter, seed) = (
        d.year.to_string(),
        d.quarter.to_string(),
        d.seed.to_string(),
    );
    let me = d.me;
    view! {
        <FormNotice error />
        <ActionForm action=draw attr:class="stack card" attr:data-testid="draw-form">
            <div class="row">
                <label>{move || t().audit_year}
                    <input name="year" inputmode="numeric" maxlength="4" size="5" required value=kept("year", year.clone()) />
                    <FieldMessage field="year" error />
                </label>
                <label>{move || t().audit_quarter}
                    <select name="quarter">
                        {(1..=4u32).map(|q| {
                            let selected = kept("quarter", quarter.clone()) == q.to_string();
                            view! { <option value=q.to_string() selected=selected>{q}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="quarter" error />
                </label>
            </div>
            <label>{move || t().audit_scope}
                <select name="province" data-testid="draw-province">
                    {d.own_province.is_none().then(|| view! { <option value="">{move || t().audit_national}</option> })}
                    {d.provinces.into_iter().map(|p| {
                        let selected = kept("province", String::new()) == p.code;
                        let names = (format!("{} {}", p.code, p.name_km), format!("{} {}", p.code, p.name_latin));
                        view! { <option value=p.code.clone() selected=selected>{move || locale.get().pick(&names.0, &names.1).to_string()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <div class="row">
                <label>{move || t().audit_per_office}
                    <input name="per_office" type="number" min="1" max=PER_OFFICE_MAX required value=kept("per_office", DEFAULT_PER_OFFICE.to_string()) />
                    <FieldMessage field="per_office" error />
                </label>
                <label>{move || t().audit_cap}
                    <input name="cap" type="number" min="1" max=CAP_MAX required value=kept("cap", DEFAULT_CAP.to_string()) />
                    <FieldMessage field="cap" error />
                </label>
            </div>
            <label>{move || t().audit_seed}
                <input name="seed" inputmode="numeric" maxlength="19" required value=kept("seed", seed.clone()) data-testid="draw-seed" />
                <small>{move || t().audit_seed_hint}</small>
                <FieldMessage field="seed" error />
            </label>
            <fieldset>
                <legend>{move || t().audit_officers}</legend>
                <small>{move || t().audit_officers_hint}</small>
                {d.officers.into_iter().map(|o| {
                    let checked = match &chosen {
                        Some(ids) => ids.contains(&o.id),
                        None => o.id == me,
                    };
                    view! {
                        <label class="check">
                            <input type="checkbox" name=format!("officers[{}]", o.id) checked=checked data-testid=format!("officer-{}", o.username) />
                            {officer_label(&o)}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage field="officers" error />
            </fieldset>
            <button type="submit" class="primary" data-testid="draw-submit">{move || t().audit_draw}</button>
        </ActionForm>
    }
}
