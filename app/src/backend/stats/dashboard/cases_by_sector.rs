//! Cases registered per sector, the busiest first, with the revenue beside them.

use sea_orm::ConnectionTrait;

use super::{Cell, Chart, ChartData, Context};
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
    let mut rows: Vec<(i32, i64, i64)> = figures::sector_figures(db, cx.f)
        .await?
        .iter()
        .map(|s| (s.sector_id, s.registered, s.revenue))
        .filter(|(_, cases, revenue)| *cases > 0 || *revenue > 0)
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(id, cases, _)| {
            Bar::new(
                names.sector(*id, locale),
                *cases as f64,
                format_number(*cases, locale),
            )
        })
        .collect();
    Ok(ChartData {
        id: Chart::CasesBySector,
        title: t.chart_cases_by_sector.into(),
        note: None,
        svg: cx.bars(t.chart_cases_by_sector, &bars, None),
        columns: vec![
            t.col_sector.into(),
            t.col_cases.into(),
            t.col_revenue.into(),
        ],
        rows: rows
            .iter()
            .map(|(id, cases, revenue)| {
                vec![
                    Cell::Text(names.sector(*id, locale)),
                    Cell::Int(*cases),
                    Cell::Riel(*revenue),
                ]
            })
            .collect(),
    })
}
