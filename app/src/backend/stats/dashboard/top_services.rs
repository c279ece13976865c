//! The services with the most registrations, with their revenue and on-time rate.

use sea_orm::ConnectionTrait;

use super::{rate, shorten, Cell, Chart, ChartData, Context, TOP_SERVICES};
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
    let services = figures::service_figures(db, cx.f).await?;
    let services: Vec<_> = services.into_iter().filter(|s| s.registered > 0).collect();
    let bars: Vec<Bar> = services
        .iter()
        .take(TOP_SERVICES)
        .map(|s| {
            Bar::new(
                shorten(&names.service(s.service_id, locale), 34),
                s.registered as f64,
                format_number(s.registered, locale),
            )
        })
        .collect();
    Ok(ChartData {
        id: Chart::TopServices,
        title: t.chart_top_services.into(),
        note: None,
        svg: cx.bars(t.chart_top_services, &bars, None),
        columns: vec![
            t.col_service.into(),
            t.col_cases.into(),
            t.col_revenue.into(),
            t.col_completed.into(),
            t.col_on_time_rate.into(),
        ],
        rows: services
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(names.service(s.service_id, locale)),
                    Cell::Int(s.registered),
                    Cell::Riel(s.revenue),
                    Cell::Int(s.completed),
                    Cell::Percent(rate(s.completed_on_time, s.completed)),
                ]
            })
            .collect(),
    })
}
