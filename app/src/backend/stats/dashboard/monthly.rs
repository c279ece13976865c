//! Registrations and revenue month by month, the selected year against the year before; the
//! revenue chart also shows the part of the selected year's revenue paid by KHQR.

use sea_orm::ConnectionTrait;

use super::{Cell, Chart, ChartData, Context};
use crate::{
    backend::stats::{charts::monthly_lines, figures, selection::Filter},
    error::AppError,
    format::format_number,
};

/// One value per month; `None` where the month had no figures at all.
type Line = [Option<f64>; 12];

/// Both monthly charts come from the one query, so it is run once for the pair.
pub(super) struct Months {
    cases: (Line, Line),
    revenue: (Line, Line),
    /// The selected year's revenue paid by KHQR, part of `revenue.0`.
    revenue_khqr: Line,
}

impl Months {
    pub(super) async fn load(db: &impl ConnectionTrait, f: &Filter) -> Result<Months, AppError> {
        let months = figures::monthly(db, f).await?;
        let mut this = [None; 12];
        let mut last = [None; 12];
        let mut this_revenue = [None; 12];
        let mut last_revenue = [None; 12];
        let mut revenue_khqr = [None; 12];
        for m in &months {
            let i = (m.month.clamp(1, 12) - 1) as usize;
            if m.year == f.year {
                this[i] = Some(m.registered as f64);
                this_revenue[i] = Some(m.revenue as f64);
                revenue_khqr[i] = Some(m.revenue_khqr as f64);
            } else {
                last[i] = Some(m.registered as f64);
                last_revenue[i] = Some(m.revenue as f64);
            }
        }
        Ok(Months {
            cases: (this, last),
            revenue: (this_revenue, last_revenue),
            revenue_khqr,
        })
    }

    pub(super) fn cases(&self, cx: &Context<'_>) -> ChartData {
        let title = cx.locale.texts().chart_monthly_cases;
        chart(cx, Chart::MonthlyCases, title, &self.cases, None)
    }

    pub(super) fn revenue(&self, cx: &Context<'_>) -> ChartData {
        let title = cx.locale.texts().chart_monthly_revenue;
        chart(
            cx,
            Chart::MonthlyRevenue,
            title,
            &self.revenue,
            Some(&self.revenue_khqr),
        )
    }
}

/// Cases, or revenue in riel when `khqr` (the selected year's part paid by KHQR) is given.
fn chart(
    cx: &Context<'_>,
    id: Chart,
    title: &str,
    (a, b): &(Line, Line),
    khqr: Option<&Line>,
) -> ChartData {
    let riel = khqr.is_some();
    let (t, locale) = (cx.locale.texts(), cx.locale);
    let labels: [String; 12] = std::array::from_fn(|i| {
        t.get(&format!("month_{}", i + 1))
            .unwrap_or_default()
            .to_string()
    });
    let (this_name, last_name) = (
        format_number(cx.f.year as i64, locale).replace(',', ""),
        format_number(cx.f.year as i64 - 1, locale).replace(',', ""),
    );
    let axis = |v: f64| {
        if riel {
            crate::format::format_compact(v, locale)
        } else {
            format_number(v.round() as i64, locale)
        }
    };
    let khqr_name = format!("{} {this_name}", t.stats_channel_khqr);
    let cell = |v: Option<f64>| {
        let n = v.unwrap_or(0.0) as i64;
        if riel {
            Cell::Riel(n)
        } else {
            Cell::Int(n)
        }
    };
    ChartData {
        id,
        title: title.into(),
        note: Some(t.chart_monthly_note.into()),
        svg: if cx.draw {
            monthly_lines(
                title,
                &labels,
                (&this_name, a),
                (&last_name, b),
                khqr.map(|k| (khqr_name.as_str(), k)),
                &axis,
            )
        } else {
            String::new()
        },
        columns: [t.col_month.into(), this_name.clone(), last_name.clone()]
            .into_iter()
            .chain(khqr.map(|_| khqr_name.clone()))
            .collect(),
        rows: (0..12)
            .map(|i| {
                [Cell::Text(labels[i].clone()), cell(a[i]), cell(b[i])]
                    .into_iter()
                    .chain(khqr.map(|k| cell(k[i])))
                    .collect()
            })
            .collect(),
    }
}
