use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::payments::get_reconciliation,
    components::page_error::PageError,
    format::{format_date_time, format_number, format_riel},
    i18n::{use_locale, use_texts, Texts},
    types::payments::ReconciliationRow,
};

/// The cashier's KHQR screen: what the bank confirmed today, what it reported that does not
/// match a fee (held here until the cashier settles it), and the codes still waiting. A payment
/// the system has not seen is recorded on the case page with the bank's reference.
#[component]
pub fn ReconciliationPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let screen = Resource::new(|| (), |_| get_reconciliation());
    view! {
        <Title text=move || t().recon_title />
        <h1>{move || t().recon_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || screen.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(r) => {
                    let more = r.open_total.saturating_sub(r.open.len() as u64);
                    view! {
                        <Rows title=|t| t.recon_mismatches testid="recon-mismatches" rows=r.mismatches bank=true />
                        <Rows title=|t| t.recon_confirmed testid="recon-confirmed" rows=r.confirmed_today bank=true />
                        <Rows title=|t| t.recon_open testid="recon-open" rows=r.open bank=false />
                        {(more > 0).then(|| view! {
                            <p class="muted">{move || t().recon_open_more}" "{move || format_number(more as i64, locale.get())}</p>
                        })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn Rows(
    title: fn(&'static Texts) -> &'static str,
    testid: &'static str,
    rows: Vec<ReconciliationRow>,
    /// Show what the bank reported, for confirmed and held payments.
    bank: bool,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let empty = rows.is_empty();
    let count = rows.len() as i64;
    view! {
        <section class="card" data-testid=testid>
            <h2>{move || title(t())}" ("{move || format_number(count, locale.get())}")"</h2>
            {if empty {
                view! { <p class="muted">{move || t().recon_none}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="table">
                            <thead><tr>
                                <th>{move || t().case_code}</th>
                                <th>{move || t().case_service}</th>
                                <th>{move || t().case_fee}</th>
                                {bank.then(|| view! {
                                    <th>{move || t().recon_bank_figures}</th>
                                    <th>{move || t().recon_reference}</th>
                                })}
                                <th>{move || if bank { t().recon_when } else { t().khqr_expires }}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! { <Row row bank /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Row(row: ReconciliationRow, bank: bool) -> impl IntoView {
    let locale = use_locale();
    let ReconciliationRow {
        code,
        service_name_km,
        service_name_en,
        amount,
        bank_amount,
        bank_currency,
        bank_hash,
        bank_from_account,
        at,
        ..
    } = row;
    view! {
        <tr data-testid=format!("recon-{code}")>
            <td><a href=format!("/staff/cases/{code}")>{code.clone()}</a></td>
            <td>{move || locale.get().pick(&service_name_km, &service_name_en).to_string()}</td>
            <td>{move || format_riel(amount, locale.get())}</td>
            {bank.then(|| {
                let (currency, hash, from) = (bank_currency.clone().unwrap_or_default(), bank_hash.clone().unwrap_or_default(), bank_from_account.clone().unwrap_or_default());
                view! {
                    <td data-testid="recon-bank-amount">{move || bank_amount.map(|a| format_number(a, locale.get())).unwrap_or_default()}" "{currency.clone()}</td>
                    <td><code>{hash}</code><br /><small>{from}</small></td>
                }
            })}
            <td>{move || format_date_time(at, locale.get())}</td>
        </tr>
    }
}
