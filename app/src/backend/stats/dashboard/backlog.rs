//! The open cases at the end of the period: by the stage they wait at, and by their age.

use super::{Cell, Chart, ChartData, Context};
use crate::{
    backend::stats::{charts::Bar, figures::Backlog},
    domain::Stage,
    format::format_number,
};

pub(super) fn by_stage(cx: &Context<'_>, backlog: &Backlog) -> ChartData {
    let (t, locale) = (cx.locale.texts(), cx.locale);
    let rows: Vec<(Stage, i64)> = Stage::ALL
        .iter()
        .filter_map(|s| backlog.by_stage.get(s.id()).map(|n| (*s, *n)))
        .filter(|(_, n)| *n > 0)
        .collect();
    let label = |s: Stage| t.get(&s.text_key()).unwrap_or(s.id()).to_string();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(s, n)| Bar::new(label(*s), *n as f64, format_number(*n, locale)))
        .collect();
    ChartData {
        id: Chart::BacklogStage,
        title: t.chart_backlog_stage.into(),
        note: Some(t.chart_backlog_note.into()),
        svg: cx.bars(t.chart_backlog_stage, &bars, None),
        columns: vec![t.col_stage.into(), t.col_cases.into()],
        rows: rows
            .iter()
            .map(|(s, n)| vec![Cell::Text(label(*s)), Cell::Int(*n)])
            .collect(),
    }
}

pub(super) fn by_age(cx: &Context<'_>, backlog: &Backlog) -> ChartData {
    let (t, locale) = (cx.locale.texts(), cx.locale);
    let buckets = [
        (7, t.age_0_7),
        (14, t.age_8_14),
        (30, t.age_15_30),
        (60, t.age_31_60),
        (i64::MAX, t.age_over_60),
    ];
    let mut counts = [0i64; 5];
    for (day, n) in &backlog.by_day {
        let age = (cx.f.today - *day).num_days();
        let i = buckets.iter().position(|(max, _)| age <= *max).unwrap_or(4);
        counts[i] += n;
    }
    let bars: Vec<Bar> = buckets
        .iter()
        .zip(counts)
        .map(|((_, label), n)| Bar::new(label.to_string(), n as f64, format_number(n, locale)))
        .collect();
    ChartData {
        id: Chart::BacklogAge,
        title: t.chart_backlog_age.into(),
        note: Some(t.chart_backlog_note.into()),
        svg: cx.bars(t.chart_backlog_age, &bars, None),
        columns: vec![t.col_age.into(), t.col_cases.into()],
        rows: buckets
            .iter()
            .zip(counts)
            .map(|((_, label), n)| vec![Cell::Text(label.to_string()), Cell::Int(n)])
            .collect(),
    }
}
