//! Revenue per district, the largest first; each bar links to that district's dashboard.

use std::collections::BTreeMap;

use super::{district_link, Cell, Chart, ChartData, Context, Names};
use crate::{
    backend::stats::{charts::Bar, figures::OfficeFigures},
    format::{format_number, format_riel},
    i18n::fill,
    types::stats::DistrictRevenue,
};

/// Districts shown by name in the chart; the rest are summed as "others".
const TOP_DISTRICTS: usize = 20;

/// The districts with any receipt, largest revenue first; the JSON summary returns them too.
pub(super) fn rows(
    per_office: &BTreeMap<String, OfficeFigures>,
    names: &Names,
) -> Vec<DistrictRevenue> {
    let mut rows: Vec<DistrictRevenue> = per_office
        .iter()
        .map(|(code, f)| {
            let (km, en) = names
                .districts
                .get(code)
                .cloned()
                .unwrap_or_else(|| (code.clone(), code.clone()));
            DistrictRevenue {
                code: code.clone(),
                name_km: km,
                name_en: en,
                receipts: f.receipts,
                revenue: f.revenue,
            }
        })
        .filter(|r| r.revenue != 0 || r.receipts != 0)
        .collect();
    rows.sort_by(|a, b| b.revenue.cmp(&a.revenue).then(a.code.cmp(&b.code)));
    rows
}

pub(super) fn chart(cx: &Context<'_>) -> ChartData {
    let (t, locale) = (cx.locale.texts(), cx.locale);
    let rows = rows(cx.per_office, cx.names);
    let bars: Vec<Bar> = rows
        .iter()
        .take(TOP_DISTRICTS)
        .map(|r| {
            Bar::new(
                locale.pick(&r.name_km, &r.name_en).to_string(),
                r.revenue as f64,
                format_riel(r.revenue, locale),
            )
            .linked(district_link(cx.query, &r.code))
        })
        .collect();
    // The rest sum hundreds of districts: drawn as a bar on the same scale it would dwarf every
    // named one, and on its own scale it would mislead, so it is said in words under the chart.
    let mut note = t.chart_revenue_by_district_note.to_string();
    if rows.len() > TOP_DISTRICTS {
        let others: i64 = rows[TOP_DISTRICTS..].iter().map(|r| r.revenue).sum();
        note.push(' ');
        note.push_str(&fill(
            t.stats_others_revenue,
            &[
                (
                    "n",
                    &format_number((rows.len() - TOP_DISTRICTS) as i64, locale),
                ),
                ("amount", &format_riel(others, locale)),
            ],
        ));
    }
    ChartData {
        id: Chart::RevenueByDistrict,
        title: t.chart_revenue_by_district.into(),
        note: Some(note),
        svg: cx.bars(t.chart_revenue_by_district, &bars, None),
        columns: vec![
            t.col_code.into(),
            t.col_district.into(),
            t.col_receipts.into(),
            t.col_revenue.into(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.code.clone()),
                    Cell::Text(locale.pick(&r.name_km, &r.name_en).into()),
                    Cell::Int(r.receipts),
                    Cell::Riel(r.revenue),
                ]
            })
            .collect(),
    }
}
