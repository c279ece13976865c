//! The share of completed cases finished on time, per district, the worst first.

use super::{percent, rate, Cell, Chart, ChartData, Context};
use crate::backend::stats::{charts::Bar, figures::OfficeFigures};

const WORST_OFFICES: usize = 20;
/// Below this, a district's rate says more about chance than about the office: it stays in the
/// table but not on the chart.
const MIN_COMPLETED_FOR_RATE: i64 = 5;

pub(super) fn chart(cx: &Context<'_>) -> ChartData {
    let (t, locale, names) = (cx.locale.texts(), cx.locale, cx.names);
    let mut rows: Vec<(&String, &OfficeFigures, Option<f64>)> = cx
        .per_office
        .iter()
        .filter(|(_, o)| o.completed > 0)
        .map(|(code, o)| (code, o, rate(o.completed_on_time, o.completed)))
        .collect();
    rows.sort_by(|a, b| {
        a.2.unwrap_or(0.0)
            .total_cmp(&b.2.unwrap_or(0.0))
            .then(a.0.cmp(b.0))
    });
    let bars: Vec<Bar> = rows
        .iter()
        .filter(|(_, o, _)| o.completed >= MIN_COMPLETED_FOR_RATE)
        .take(WORST_OFFICES)
        .map(|(code, _, r)| {
            Bar::new(
                names.district(code, locale),
                r.unwrap_or(0.0),
                percent(*r, locale),
            )
        })
        .collect();
    ChartData {
        id: Chart::OnTime,
        title: t.chart_on_time.into(),
        note: Some(t.chart_on_time_note.into()),
        svg: cx.bars(t.chart_on_time, &bars, None),
        columns: vec![
            t.col_code.into(),
            t.col_district.into(),
            t.col_completed.into(),
            t.col_on_time.into(),
            t.col_on_time_rate.into(),
        ],
        rows: rows
            .iter()
            .map(|(code, o, r)| {
                vec![
                    Cell::Text((*code).clone()),
                    Cell::Text(names.district(code, locale)),
                    Cell::Int(o.completed),
                    Cell::Int(o.completed_on_time),
                    Cell::Percent(*r),
                ]
            })
            .collect(),
    }
}
