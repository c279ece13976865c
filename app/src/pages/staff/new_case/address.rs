use leptos::prelude::*;

use crate::{
    api::catalogue::get_geo_choices,
    components::form_feedback::{FieldMessage, FormValues},
    error::AppError,
    i18n::use_texts,
    types::GeoOption,
};

/// The applicant's address, province to village, inside the registration form itself, so there
/// is one place to fill and one post that carries it. With JavaScript each choice fills the next
/// list in place; without it, "show choices" posts the whole form back to the server, which keeps
/// everything typed (`register_case`, intent `choices`) and shows the next list.
#[component]
pub fn AddressFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    values: FormValues,
) -> impl IntoView {
    let t = use_texts();
    let province = RwSignal::new(values.get("province"));
    let district = RwSignal::new(values.get("district"));
    let commune = RwSignal::new(values.get("commune"));
    let village = RwSignal::new(values.get("village"));
    let geo = Resource::new(
        move || (province.get(), district.get(), commune.get()),
        |(p, d, c)| get_geo_choices(p, d, c),
    );
    view! {
        <fieldset id="address" data-testid="address">
            <legend>{move || t().address}</legend>
            <p class="hint nojs-only" data-testid="address-hint">{move || t().address_hint}</p>
            <Transition fallback=move || view! { <p>{move || t().loading}</p> }>
                {move || geo.get().and_then(Result::ok).map(|geo| {
                    let no_districts = geo.districts.is_empty();
                    let no_communes = geo.communes.is_empty();
                    let no_villages = geo.villages.is_empty();
                    view! {
                    <label>{move || t().province}
                        <select name="province" on:change=pick(province, [district, commune, village])>
                            <option value="">"—"</option>{geo_options(geo.provinces, province.get_untracked())}
                        </select>
                    </label>
                    <label>{move || t().district}
                        <select name="district" on:change=pick(district, [commune, village]) disabled=no_districts>
                            <option value="">"—"</option>{geo_options(geo.districts, district.get_untracked())}
                        </select>
                    </label>
                    <label>{move || t().commune}
                        <select name="commune" on:change=pick(commune, [village]) disabled=no_communes>
                            <option value="">"—"</option>{geo_options(geo.communes, commune.get_untracked())}
                        </select>
                    </label>
                    <label>{move || t().village}
                        <select name="village_code" data-testid="village-select" on:change=pick(village, []) disabled=no_villages>
                            <option value="">"—"</option>{geo_options(geo.villages, village.get_untracked())}
                        </select>
                        <FieldMessage field="village_code" error />
                    </label>
                }})}
            </Transition>
            <button type="submit" name="intent" value="choices" formnovalidate class="nojs-only" data-testid="address-choices">
                {move || t().update_choices}
            </button>
            <label>{move || t().address_detail}
                <input name="address_detail" value=move || values.or_default("address_detail") maxlength="300" />
                <FieldMessage field="address_detail" error />
            </label>
        </fieldset>
    }
}

/// The change handler of one level's select: it takes the choice and clears the levels below,
/// which a new choice makes stale.
fn pick<const N: usize>(
    level: RwSignal<Option<String>>,
    below: [RwSignal<Option<String>>; N],
) -> impl FnMut(leptos::ev::Event) + 'static {
    move |ev| {
        level.set(Some(event_target_value(&ev)).filter(|v| !v.is_empty()));
        for stale in below {
            stale.set(None);
        }
    }
}

fn geo_options(items: Vec<GeoOption>, selected: Option<String>) -> impl IntoView {
    items
        .into_iter()
        .map(|o| {
            let sel = selected.as_deref() == Some(o.code.as_str());
            let label = format!("{} · {}", o.name_km, o.name_latin);
            view! { <option value=o.code selected=sel>{label}</option> }
        })
        .collect_view()
}
