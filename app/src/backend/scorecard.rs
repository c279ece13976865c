//! The public scorecard: per office, over the last twelve full months and the current month,
//! the average rating, on-time share and complaints answered. Read from the rollups only, so the
//! ranking of all 210 offices costs two grouped queries.

use std::cmp::Reverse;

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    calendar::local_date,
    entities::{office, province},
    reports::{months_back, office_figures, Months, Within},
};
use crate::{
    domain::ProvinceCode,
    error::AppError,
    types::{
        reports::{ReportFigures, ScoreSort, ScorecardRanking, ScorecardRow},
        GeoOption, Scorecard, MIN_RATINGS,
    },
};

/// Twelve full months before the current one, and the current one so far.
fn window(now: DateTime<Utc>) -> (Months, chrono::NaiveDate, chrono::NaiveDate) {
    let today = local_date(now);
    let from = months_back(today, 12);
    (
        Months {
            from: (from.year(), from.month()),
            to: (today.year(), today.month()),
        },
        from,
        today,
    )
}

fn card(
    f: Option<&ReportFigures>,
    from: chrono::NaiveDate,
    through: chrono::NaiveDate,
) -> Scorecard {
    let f = f.cloned().unwrap_or_default();
    Scorecard {
        from,
        through,
        received: f.registered(),
        delivered: f.completed,
        delivered_on_time: f.completed_on_time,
        ratings: f.ratings,
        rating_avg_x10: (f.ratings >= MIN_RATINGS)
            .then(|| f.rating_avg_x10())
            .flatten(),
        complaints: f.complaints,
        complaints_resolved: f.complaints_resolved,
    }
}

/// One office's scorecard, for its public page.
pub async fn office_scorecard(
    db: &impl ConnectionTrait,
    office_code: &str,
    now: DateTime<Utc>,
) -> Result<Scorecard, AppError> {
    let (months, from, through) = window(now);
    let figures = office_figures(db, months, Within::Office(office_code)).await?;
    Ok(card(figures.get(office_code), from, through))
}

/// Every active office (of one province, if asked), ranked by `sort`; offices with fewer than
/// [`MIN_RATINGS`] ratings come after the ranked ones, in the same order.
pub async fn ranking(
    db: &impl ConnectionTrait,
    sort: ScoreSort,
    province_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ScorecardRanking, AppError> {
    let provinces: Vec<GeoOption> = province::Entity::find()
        .order_by_asc(province::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| GeoOption {
            code: p.code,
            name_km: p.name_km,
            name_latin: p.name_latin,
        })
        .collect();
    let province_code = match province_code.map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => {
            let code = ProvinceCode::parse(p).map_err(|e| AppError::field("province", e.key()))?;
            if !provinces.iter().any(|g| g.code == code.as_str()) {
                return Err(AppError::field("province", "report_no_such_province"));
            }
            Some(code.as_str().to_string())
        }
    };
    let (months, from, through) = window(now);
    let within = match &province_code {
        Some(p) => Within::Province(p),
        None => Within::Nation,
    };
    let figures = office_figures(db, months, within).await?;
    let mut offices = office::Entity::find()
        .filter(office::Column::Active.eq(true))
        .order_by_asc(office::Column::Code);
    if let Some(p) = &province_code {
        offices = offices.filter(office::Column::ProvinceCode.eq(p.as_str()));
    }
    let rows: Vec<ScorecardRow> = offices
        .all(db)
        .await?
        .into_iter()
        .map(|o| ScorecardRow {
            card: card(figures.get(&o.code), from, through),
            code: o.code,
            name_km: o.name_km,
            name_en: o.name_en,
            province_code: o.province_code,
        })
        .collect();
    let (mut ranked, mut unranked): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|r| r.card.rated());
    for list in [&mut ranked, &mut unranked] {
        // Offices without the figure sorted on go last; ties by volume, then by code.
        list.sort_by_key(|r| {
            let c = &r.card;
            let (value, volume) = match sort {
                ScoreSort::Rating => (c.rating_avg_x10.map(|v| v as u64), c.ratings),
                ScoreSort::OnTime => (c.on_time_percent(), c.delivered),
                ScoreSort::Resolved => (c.resolved_percent(), c.complaints),
            };
            (
                value.is_none(),
                Reverse(value),
                Reverse(volume),
                r.code.clone(),
            )
        });
    }
    Ok(ScorecardRanking {
        from,
        through,
        sort,
        province: province_code,
        provinces,
        min_ratings: MIN_RATINGS,
        ranked,
        unranked,
    })
}
