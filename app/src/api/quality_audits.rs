//! Quality audits: drawing a sample, reading it, reassigning cases and recording checklists.
//! Province and national viewers only; each checks the caller, then calls one backend service.

// Server functions take one argument per form field, so plain HTML forms post straight into them.
#![allow(clippy::too_many_arguments)]

use std::collections::HashMap;

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::quality_audits::{AuditListItem, AuditView, ChecklistView, DrawDefaults},
};

#[server(endpoint = "audits/list")]
pub async fn list_audits() -> Result<Vec<AuditListItem>, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::quality_audits::list(&db, &user).await)
}

#[server(endpoint = "audits/form")]
pub async fn new_audit_form() -> Result<DrawDefaults, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(
        crate::backend::quality_audits::draw_defaults(&db, &user, chrono::Utc::now()).await,
    )
}

/// Officer check boxes post as `officers[<user id>]=on`.
#[cfg(feature = "ssr")]
fn officer_ids(officers: &Option<HashMap<String, String>>) -> Vec<i32> {
    let mut ids: Vec<i32> = officers
        .iter()
        .flat_map(|m| m.keys())
        .map(|k| k.parse().unwrap_or(0))
        .collect();
    ids.sort_unstable();
    ids
}

/// Draws a sample; the browser then goes to the new audit's page.
#[server(endpoint = "audits/draw")]
pub async fn draw_audit(
    year: String,
    quarter: String,
    province: Option<String>,
    per_office: String,
    cap: String,
    seed: String,
    officers: Option<HashMap<String, String>>,
) -> Result<i32, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let chosen = officer_ids(&officers);
    let request = crate::backend::quality_audits::DrawRequest {
        year: year.clone(),
        quarter: quarter.clone(),
        province: province.clone(),
        per_office: per_office.clone(),
        cap: cap.clone(),
        seed: seed.clone(),
        officers: chosen.clone(),
    };
    match crate::backend::quality_audits::draw(&db, &user, request, ip, chrono::Utc::now()).await {
        Ok(id) => {
            super::redirect(&super::path_of(&["audits", &id.to_string()]));
            Ok(id)
        }
        // Out of scope or not a viewer: the status alone, as for any page they may not see.
        Err(err @ (AppError::NotFound | AppError::Forbidden | AppError::Unauthorized)) => {
            super::with_status(Err(err))
        }
        Err(err) => {
            let mut kept: Vec<(String, String)> = [
                ("year", Some(year)),
                ("quarter", Some(quarter)),
                ("province", province),
                ("per_office", Some(per_office)),
                ("cap", Some(cap)),
                ("seed", Some(seed)),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect();
            if !chosen.is_empty() {
                let ids: Vec<String> = chosen.iter().map(i32::to_string).collect();
                kept.push(("officers".into(), ids.join(",")));
            }
            super::back_to_form("/audits/new", kept, err).await
        }
    }
}

#[server(endpoint = "audits/get")]
pub async fn get_audit(id: i32) -> Result<AuditView, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::quality_audits::view(&db, &user, id).await)
}

/// Gives a sampled case to another officer; back to the audit's page.
#[server(endpoint = "audits/assign")]
pub async fn assign_audit_case(audit_id: i32, code: String, user_id: i32) -> Result<(), AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::quality_audits::assign(
        &db,
        &user,
        audit_id,
        &code,
        user_id,
        ip,
        chrono::Utc::now(),
    )
    .await;
    let target = format!("/audits/{audit_id}");
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(&target, &[("assigned", &code)]));
            Ok(())
        }
        Err(err) => super::fail_to(&format!("{target}?error={}", super::error_param(&err)), err),
    }
}

#[server(endpoint = "audits/case")]
pub async fn get_checklist(audit_id: i32, code: String) -> Result<ChecklistView, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::quality_audits::checklist(&db, &user, audit_id, &code).await)
}

/// Records a checklist; back to the checklist with a notice, or with the marked fields.
#[server(endpoint = "audits/record")]
pub async fn record_checklist(
    audit_id: i32,
    code: String,
    fee_correct: Option<String>,
    documents_complete: Option<String>,
    deadline_met: Option<String>,
    data_matches: Option<String>,
    citizen_reached: Option<String>,
    citizen_satisfied: Option<String>,
    findings: Option<String>,
) -> Result<(), AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let answers = vec![
        fee_correct,
        documents_complete,
        deadline_met,
        data_matches,
        citizen_reached,
        citizen_satisfied,
    ];
    let input = crate::backend::quality_audits::ChecklistAnswers {
        answers: answers.clone(),
        findings: findings.clone(),
    };
    let result = crate::backend::quality_audits::record(
        &db,
        &user,
        audit_id,
        &code,
        input,
        ip,
        chrono::Utc::now(),
    )
    .await;
    let target = super::path_of(&["audits", &audit_id.to_string(), "cases", &code]);
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(&target, &[("saved", "1")]));
            Ok(())
        }
        Err(err @ (AppError::NotFound | AppError::Forbidden | AppError::Unauthorized)) => {
            super::fail_to(&format!("{target}?error={}", super::error_param(&err)), err)
        }
        Err(err) => {
            let kept = crate::types::quality_audits::CHECKLIST_ITEMS
                .iter()
                .zip(answers)
                .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                .chain(findings.map(|f| ("findings".to_string(), f)))
                .collect();
            super::back_to_form(&target, kept, err).await
        }
    }
}
