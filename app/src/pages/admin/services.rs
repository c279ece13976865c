use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use super::AdminNav;
use crate::{
    api::admin::list_services_admin,
    components::page_error::PageError,
    format::format_riel,
    i18n::{use_locale, use_texts},
};

/// Every service with its fee and time standard, searchable, each leading to its editor.
#[component]
pub fn ServicesAdminPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let needle = move || {
        query
            .with(|q| q.get("q"))
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty())
    };
    let services = Resource::new(|| (), |_| list_services_admin());
    view! {
        <Title text=move || t().admin_services />
        <h1>{move || t().admin_services}</h1>
        <AdminNav system_admin=true />
        <Form method="GET" action="" attr:class="search">
            <input type="search" name="q" value=move || query.with(|q| q.get("q")) aria-label=move || t().search placeholder=move || t().admin_service_search />
            <button type="submit">{move || t().search}</button>
        </Form>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || services.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(list) => {
                    let needle = needle();
                    view! {
                        <table class="table">
                            <thead><tr>
                                <th>{move || t().case_code}</th>
                                <th>{move || t().case_service}</th>
                                <th>{move || t().case_fee}</th>
                                <th>{move || t().admin_time_standard}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter()
                                    .filter(|(s, _)| needle.as_ref().is_none_or(|n| {
                                        s.code.to_lowercase().contains(n) || s.name_km.contains(n.as_str()) || s.name_en.to_lowercase().contains(n)
                                    }))
                                    .map(|(s, active)| {
                                        let href = format!("/admin/services/{}", s.id);
                                        let fee = s.fee_riel;
                                        view! {
                                            <tr class:disabled=!active>
                                                <td><a href=href data-testid=format!("service-{}", s.code)>{s.code.clone()}</a></td>
                                                <td>{move || locale.get().pick(&s.name_km, &s.name_en).to_string()}
                                                    {(!active).then(|| view! { <br /><small>{move || t().admin_inactive}</small> })}</td>
                                                <td>{move || format_riel(fee, locale.get())}</td>
                                                <td>{s.time_standard_days}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
