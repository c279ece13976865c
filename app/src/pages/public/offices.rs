use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::offices::list_offices,
    format::format_number,
    i18n::{fill, use_locale, use_texts},
    types::ProvinceOffices,
};

#[component]
pub fn OfficesPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let provinces = Resource::new(|| (), |_| list_offices());
    view! {
        <Title text=move || t().offices_title />
        <h1>{move || t().offices_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || provinces.get().map(|result| match result {
                Ok(provinces) => {
                    let total: usize = provinces.iter().map(|p| p.offices.len()).sum();
                    view! {
                        <p class="lede" data-testid="office-count">
                            {move || fill(t().offices_count, &[("n", &format_number(total as i64, locale.get()))])}
                        </p>
                        <div class="province-list">
                            {provinces.into_iter().map(|p| view! { <ProvinceSection province=p /> }).collect_view()}
                        </div>
                    }.into_any()
                }
                Err(_) => view! { <p class="error">{move || t().err_internal}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ProvinceSection(province: ProvinceOffices) -> impl IntoView {
    let locale = use_locale();
    let count = province.offices.len() as i64;
    view! {
        <section class="province" id=format!("province-{}", province.code)>
            <h2>
                <span lang="km">{province.name_km.clone()}</span>
                " · "
                <span lang="en">{province.name_latin.clone()}</span>
                <span class="count">{move || format!(" ({})", format_number(count, locale.get()))}</span>
            </h2>
            <ul class="office-list">
                {province.offices.into_iter().map(|o| view! {
                    <li class="office" data-code=o.code.clone()>
                        <a href=format!("/offices/{}", o.code) class="office-km" lang="km">{o.name_km}</a>
                        <span class="office-en" lang="en">{o.name_en}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
