use leptos::prelude::*;
use leptos_meta::Title;

use super::{feedback::FeedbackForm, recent};
use crate::{
    components::khqr_card::KhqrCard,
    domain::{workflow::CaseEventKind, CaseStatus},
    format::{format_date, format_number, format_riel},
    i18n::{fill, use_locale, use_texts},
    types::{payments::KhqrView, OfficeContact, TrackStep, TrackView},
};

/// The status of one case. Built only from `TrackView`, which carries nothing about the applicant.
#[component]
pub fn TrackResult(view: TrackView, khqr: Option<KhqrView>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    recent::remember(&view.code);
    let v = view.clone();
    let code = v.code.clone();
    let stage_key = v.stage.citizen_text_key();
    let (days, since) = (v.working_days_in_stage, v.stage_since);
    let (fee, paid_on, paid_by) = (v.fee_total, v.paid_on, v.paid_by);
    let expected = v.expected_on;
    let closed = matches!(v.status, CaseStatus::Delivered | CaseStatus::Rejected);
    let show_office = v.ready_for_pickup
        || v.status == CaseStatus::ReturnedToCitizen
        || v.stage == crate::domain::Stage::Registration;
    let state_text = move || -> Option<String> {
        let t = t();
        match (view.status, view.ready_for_pickup, view.delivered_on) {
            (CaseStatus::Delivered, _, Some(on)) => Some(fill(
                t.track_delivered_on,
                &[("date", &format_date(on, locale.get()))],
            )),
            (CaseStatus::Rejected, _, _) => Some(t.track_rejected.into()),
            (CaseStatus::ReturnedToCitizen, _, _) => Some(t.track_returned_to_citizen.into()),
            (CaseStatus::Active, true, _) => Some(t.track_ready.into()),
            // Only online pre-registrations wait at this stage: the counter moves cases on at once.
            (CaseStatus::Active, _, _) if view.stage == crate::domain::Stage::Registration => {
                Some(t.track_waiting_documents.into())
            }
            _ => None,
        }
    };
    view! {
        <Title text=move || fill(t().track_result_title, &[("code", &code)]) />
        <h1 data-testid="track-title">{let code = v.code.clone(); move || fill(t().track_result_title, &[("code", &code)])}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{move || t().case_service}</dt>
                <dd><a href=format!("/services/{}", v.service_id) data-testid="track-service">{let (km, en) = (v.service_name_km.clone(), v.service_name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</a></dd>
                <dt>{move || t().track_office}</dt>
                <dd><a href=format!("/offices/{}", v.office.code)>{let (km, en) = (v.office.name_km.clone(), v.office.name_en.clone()); move || locale.get().pick(&km, &en).to_string()}</a></dd>
                <dt>{move || t().track_registered_on}</dt>
                <dd>{move || format_date(v.registered_on, locale.get())}</dd>
                <dt>{move || t().track_now}</dt>
                <dd data-testid="track-stage">{move || fill(&crate::format::format_count(days, locale.get(), t().track_at_stage_one, t().track_at_stage), &[
                    ("stage", t().get(&stage_key).unwrap_or_default()),
                    ("date", &format_date(since, locale.get())),
                ])}</dd>
                {(!closed).then(|| view! {
                    <dt>{move || t().track_expected}</dt>
                    <dd data-testid="track-expected">{move || format_date(expected, locale.get())}</dd>
                })}
                <dt>{move || t().track_fee}</dt>
                <dd data-testid="track-fee">{move || format_riel(fee, locale.get())}" · "
                    {move || match paid_on {
                        Some(on) => fill(t().track_paid_on, &[
                            ("date", &format_date(on, locale.get())),
                            ("channel", paid_by.map(|c| t().get(c.text_key()).unwrap_or_default()).unwrap_or_default()),
                        ]).trim_end().to_string(),
                        None => t().track_not_paid.to_string(),
                    }}
                </dd>
            </dl>
            {khqr.map(|khqr| view! { <KhqrCard khqr /> })}
            {move || state_text().map(|text| view! { <p class="notice" data-testid="track-state">{text}</p> })}
            {show_office.then(|| view! { <OfficeFacts office=v.office.clone() /> })}
            <p class="muted">{move || t().track_working_days_note}</p>
        </section>
        <Timeline passed=v.passed.clone() />
        {(!v.ahead.is_empty()).then(|| view! {
            <section class="card">
                <h2>{move || t().track_ahead}</h2>
                <ol class="stage-list" data-testid="track-ahead">
                    {v.ahead.iter().map(|s| { let key = s.citizen_text_key(); view! { <li>{move || t().get(&key).unwrap_or_default()}</li> } }).collect_view()}
                </ol>
            </section>
        })}
        {v.feedback_rating.map(|n| view! {
            <p class="card" data-testid="feedback-given">{move || fill(t().feedback_given, &[("n", &format_number(n as i64, locale.get()))])}</p>
        })}
        {v.can_give_feedback.then(|| view! { <FeedbackForm code=v.code.clone() /> })}
        <p><a href="/track">{move || t().track_another}</a></p>
    }
}

#[component]
fn OfficeFacts(office: OfficeContact) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let (address_km, address_en) = (office.address_km, office.address_en);
    let (hours_km, hours_en) = (office.hours_km, office.hours_en);
    view! {
        <dl class="facts" data-testid="track-office">
            <dt>{move || t().track_address}</dt>
            <dd>{move || locale.get().pick(&address_km, &address_en).to_string()}</dd>
            <dt>{move || t().track_hours}</dt>
            <dd>{move || locale.get().pick(&hours_km, &hours_en).to_string()}</dd>
            {office.phone.map(|p| view! { <dt>{move || t().phone}</dt><dd><a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a></dd> })}
        </dl>
    }
}

/// The seed's "No. / step / date" table.
#[component]
fn Timeline(passed: Vec<TrackStep>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    view! {
        <section class="card">
            <h2>{move || t().track_timeline}</h2>
            <table class="table" data-testid="track-timeline">
                <thead><tr><th>{move || t().track_no}</th><th>{move || t().track_step}</th><th>{move || t().track_date}</th></tr></thead>
                <tbody>
                    {passed.into_iter().map(|step| {
                        // Returns, refusals and cancellations say what happened; other rows name
                        // the stage the case reached.
                        let key = match step.action {
                            CaseEventKind::Return | CaseEventKind::Resubmit | CaseEventKind::Reject | CaseEventKind::CancelPayment => format!("track_act_{}", step.action.id()),
                            _ => step.stage.map(|s| s.citizen_text_key()).unwrap_or_default(),
                        };
                        let (no, on) = (step.no as i64, step.on);
                        view! {
                            <tr>
                                <td>{move || format_number(no, locale.get())}</td>
                                <td>{move || t().get(&key).unwrap_or_default()}</td>
                                <td>{move || format_date(on, locale.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
