//! `/scorecard`: every office's public figures over the last twelve full months and this month,
//! ranked by `?sort=rating|on_time|resolved`, of one province with `?province=NN`. Offices with too
//! few ratings to rank are listed after the ranked ones. The filter is a plain GET form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::{
    api::public::get_scorecard_ranking,
    components::form_feedback::error_message,
    format::{format_date, format_number, format_percent, format_tenths},
    i18n::{fill, use_locale, use_texts, Texts},
    types::reports::{ScoreSort, ScorecardRanking, ScorecardRow},
};

fn sort_label(t: &'static Texts, sort: ScoreSort) -> &'static str {
    match sort {
        ScoreSort::Rating => t.scorecard_sort_rating,
        ScoreSort::OnTime => t.scorecard_sort_on_time,
        ScoreSort::Resolved => t.scorecard_sort_resolved,
    }
}

#[component]
pub fn ScorecardPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let sort = move || query.with(|q| q.get("sort"));
    let province = move || query.with(|q| q.get("province"));
    let ranking = Resource::new(
        move || (sort(), province()),
        |(sort, province)| get_scorecard_ranking(sort, province),
    );
    view! {
        <Title text=move || t().scorecard_title />
        <h1>{move || t().scorecard_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || ranking.get().map(|result| match result {
                Ok(r) => view! { <RankingView ranking=r /> }.into_any(),
                Err(err) => view! {
                    <p class="error" role="alert" data-testid="scorecard-error">{error_message(t(), &err)}</p>
                    <p><a href="/scorecard">{move || t().scorecard_title}</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RankingView(ranking: ScorecardRanking) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let (from, through, min) = (ranking.from, ranking.through, ranking.min_ratings as i64);
    let chosen_sort = ranking.sort;
    let chosen_province = ranking.province.clone().unwrap_or_default();
    let (ranked_n, unranked_n) = (ranking.ranked.len() as i64, ranking.unranked.len() as i64);
    view! {
        <p class="lede">{move || fill(t().office_scorecard_lede, &[("from", &format_date(from, locale.get())), ("through", &format_date(through, locale.get()))])}</p>
        <p class="muted">
            {move || fill(t().scorecard_min_note, &[("n", &format_number(min, locale.get()))])}" "
            {move || t().scorecard_aggregates_note}
        </p>
        <Form method="GET" action="/scorecard" attr:class="filters" attr:data-testid="scorecard-filter">
            <label>{move || t().scorecard_sort}
                <select name="sort" data-testid="scorecard-sort">
                    {ScoreSort::ALL.into_iter().map(|s| view! {
                        <option value=s.id() selected=s == chosen_sort>{move || sort_label(t(), s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || t().province}
                <select name="province" data-testid="scorecard-province">
                    <option value="" selected=chosen_province.is_empty()>{move || t().whole_country}</option>
                    {ranking.provinces.into_iter().map(|p| {
                        let selected = p.code == chosen_province;
                        let (km, latin) = (p.name_km, p.name_latin);
                        view! { <option value=p.code selected=selected>{move || locale.get().pick(&km, &latin).to_string()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" data-testid="scorecard-show">{move || t().scorecard_show}</button>
        </Form>
        <section data-testid="scorecard-ranked">
            <h2>{move || fill(t().scorecard_ranked, &[("n", &format_number(ranked_n, locale.get()))])}</h2>
            <RankingTable rows=ranking.ranked ranked=true />
        </section>
        <section data-testid="scorecard-unranked">
            <h2>{move || fill(t().scorecard_unranked, &[("min", &format_number(min, locale.get())), ("n", &format_number(unranked_n, locale.get()))])}</h2>
            <RankingTable rows=ranking.unranked ranked=false />
        </section>
    }
}

#[component]
fn RankingTable(rows: Vec<ScorecardRow>, ranked: bool) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    if rows.is_empty() {
        return view! { <p>{move || t().scorecard_none}</p> }.into_any();
    }
    let percent = move |p: Option<u64>| {
        p.map(|p| format_percent(p, locale.get()))
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <table class="table scorecard-table">
            <thead><tr>
                {ranked.then(|| view! { <th>{move || t().scorecard_rank}</th> })}
                <th>{move || t().office}</th>
                <th>{move || t().scorecard_sort_rating}</th>
                <th>{move || t().report_ratings}</th>
                <th>{move || t().scorecard_sort_on_time}</th>
                <th>{move || t().scorecard_sort_resolved}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().enumerate().map(|(i, r)| {
                    let c = r.card;
                    let (avg, ratings) = (c.rating_avg_x10, c.ratings as i64);
                    let (on_time, resolved) = (c.on_time_percent(), c.resolved_percent());
                    let (km, en) = (r.name_km, r.name_en);
                    view! {
                        <tr data-code=r.code.clone() class="scorecard-row">
                            {ranked.then(|| view! { <td class="rank">{move || format_number(i as i64 + 1, locale.get())}</td> })}
                            <td><a href=format!("/offices/{}", r.code)>{move || locale.get().pick(&km, &en).to_string()}</a></td>
                            <td class="score-rating">{move || avg.map(|a| format_tenths(a, locale.get())).unwrap_or_else(|| t().scorecard_not_enough.to_string())}</td>
                            <td>{move || format_number(ratings, locale.get())}</td>
                            <td class="score-on-time">{move || percent(on_time)}</td>
                            <td class="score-resolved">{move || percent(resolved)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
