//! Working days from registration to completion per service: the median, and the 90th
//! percentile drawn behind it.

use sea_orm::ConnectionTrait;

use super::{shorten, Cell, Chart, ChartData, Context, TOP_SERVICES};
use crate::{
    backend::stats::{charts::Bar, figures},
    error::AppError,
    format::format_number,
};

pub(super) async fn chart(
    db: &impl ConnectionTrait,
    cx: &Context<'_>,
) -> Result<ChartData, AppError> {
    let (t, locale, names) = (cx.locale.texts(), cx.locale, cx.names);
    let all = figures::durations(db, cx.f, None).await?;
    let bars: Vec<Bar> = all
        .iter()
        .take(TOP_SERVICES)
        .map(|d| {
            Bar::new(
                shorten(&names.service(d.service_id, locale), 34),
                d.median as f64,
                format!(
                    "{} / {}{}",
                    format_number(d.median as i64, locale),
                    format_number(d.p90 as i64, locale),
                    if d.p90_capped { "+" } else { "" }
                ),
            )
            .behind(d.p90 as f64)
        })
        .collect();
    Ok(ChartData {
        id: Chart::ProcessingTime,
        title: t.chart_processing_time.into(),
        note: Some(t.chart_processing_time_note.into()),
        svg: cx.bars(
            t.chart_processing_time,
            &bars,
            Some((t.chart_median, t.chart_p90)),
        ),
        columns: vec![
            t.col_service.into(),
            t.col_completed.into(),
            t.col_median_days.into(),
            t.col_p90_days.into(),
        ],
        rows: all
            .iter()
            .map(|d| {
                vec![
                    Cell::Text(names.service(d.service_id, locale)),
                    Cell::Int(d.cases),
                    Cell::Int(d.median as i64),
                    Cell::Int(d.p90 as i64),
                ]
            })
            .collect(),
    })
}
