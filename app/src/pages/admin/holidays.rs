use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use super::AdminNav;
use crate::{
    api::admin::{list_holidays, DeleteHoliday, SaveHoliday},
    components::form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
    components::page_error::PageError,
    format::format_date,
    i18n::{use_locale, use_texts},
};

/// The public holidays of a year. Working-day deadlines skip them.
#[component]
pub fn HolidaysPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let values = use_form_values();
    let kept = move |k: &'static str| values.or_default(k);
    // Without a year in the address the server picks the current one, as the browser's clock
    // may be wrong.
    let year = move || {
        query
            .with(|q| q.get("year"))
            .and_then(|y| y.parse::<i32>().ok())
    };
    let save = ServerAction::<SaveHoliday>::new();
    let delete = ServerAction::<DeleteHoliday>::new();
    let holidays = Resource::new(
        move || (year(), save.version().get() + delete.version().get()),
        |(year, _)| list_holidays(year),
    );
    let error = action_error(save);
    view! {
        <Title text=move || t().admin_holidays />
        <h1>{move || t().admin_holidays}</h1>
        <AdminNav system_admin=true />
        {move || query.with(|q| q.get("saved")).map(|_| view! { <p class="notice" role="status" data-testid="notice">{move || t().admin_saved}</p> })}
        <FormNotice error=action_error(delete) />
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || holidays.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok((shown_year, rows)) => view! {
                    <Form method="GET" action="" attr:class="search">
                        <label>{move || t().admin_year}
                            <input name="year" type="number" min="2000" max="2100" value=shown_year.to_string() />
                        </label>
                        <button type="submit">{move || t().search}</button>
                    </Form>
                    <table class="table" data-testid="holiday-table">
                        <thead><tr><th>{move || t().admin_day}</th><th>{move || t().admin_holiday_name}</th><th></th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|h| {
                                let day = h.day.to_string();
                                let shown = h.day;
                                view! {
                                    <tr>
                                        <td>{move || format_date(shown, locale.get())}</td>
                                        <td>{move || locale.get().pick(&h.name_km, &h.name_en).to_string()}</td>
                                        <td>
                                            <ActionForm action=delete attr:class="inline">
                                                <input type="hidden" name="day" value=day.clone() />
                                                <button type="submit" class="danger" data-testid=format!("delete-{day}")>{move || t().admin_delete}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
        <section class="card">
            <h2>{move || t().admin_add_holiday}</h2>
            <FormNotice error />
            <ActionForm action=save attr:class="stack" attr:data-testid="holiday-form">
                <label>{move || t().admin_day}
                    <input name="day" type="date" required value=move || kept("day") />
                    <FieldMessage field="day" error />
                </label>
                <label>{move || t().admin_name_km}
                    <input name="name_km" required maxlength="200" value=move || kept("name_km") />
                    <FieldMessage field="name_km" error />
                </label>
                <label>{move || t().admin_name_en}
                    <input name="name_en" required maxlength="200" value=move || kept("name_en") />
                    <FieldMessage field="name_en" error />
                </label>
                <button type="submit" class="primary" data-testid="save-holiday">{move || t().admin_save}</button>
            </ActionForm>
        </section>
    }
}
