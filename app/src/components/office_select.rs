use leptos::prelude::*;

use crate::{api::offices::list_offices, i18n::use_locale};

/// A select of all 210 offices grouped by province, as a plain form field.
#[component]
pub fn OfficeSelect(
    /// The form field's name.
    name: &'static str,
    /// The office chosen before, e.g. from the address or a failed post.
    #[prop(into)]
    selected: Signal<String>,
) -> impl IntoView {
    let locale = use_locale();
    let offices = Resource::new(|| (), |_| list_offices());
    view! {
        <Suspense fallback=move || view! { <select name=name required></select> }>
            {move || offices.get().and_then(Result::ok).map(|provinces| {
                let chosen = selected.get();
                view! {
                    <select name=name required data-testid=format!("{name}-select")>
                        <option value="">"—"</option>
                        {provinces.into_iter().map(|p| {
                            let label = locale.get().pick(&p.name_km, &p.name_latin).to_string();
                            view! {
                                <optgroup label=label>
                                    {p.offices.into_iter().map(|o| {
                                        let is_chosen = o.code == chosen;
                                        let office_name = locale.get().pick(&o.name_km, &o.name_en).to_string();
                                        view! { <option value=o.code selected=is_chosen>{office_name}</option> }
                                    }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()}
                    </select>
                }
            })}
        </Suspense>
    }
}
