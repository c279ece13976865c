//! Administration: staff accounts (system and office administrators), the catalogue and the
//! holiday calendar (system administrators). Each checks the caller, then calls one service.

// Server functions take one argument per form field, so plain HTML forms post straight into them.
#![allow(clippy::too_many_arguments)]

use std::collections::HashMap;

use leptos::prelude::*;

use crate::{
    error::AppError,
    types::{
        admin::{HolidayRow, ServiceEdit, StaffPage},
        ServiceSummary,
    },
};

#[server(endpoint = "admin/staff")]
pub async fn list_staff(office: Option<String>, q: Option<String>) -> Result<StaffPage, AppError> {
    use crate::domain::Role;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let accounts = super::with_status(
        crate::backend::users::list(
            &db,
            &user,
            office.as_deref(),
            q.as_deref(),
            chrono::Utc::now(),
        )
        .await,
    )?;
    let (own_office, assignable_roles) = if user.role == Role::SystemAdmin {
        (None, Role::ALL.to_vec())
    } else {
        let office_roles = Role::ALL.into_iter().filter(|r| r.is_office_role());
        (user.office_code.clone(), office_roles.collect())
    };
    Ok(StaffPage {
        accounts,
        own_office,
        assignable_roles,
    })
}

/// Sector check boxes post as `sectors[<id>]=on`.
#[cfg(feature = "ssr")]
fn sector_ids(sectors: Option<HashMap<String, String>>) -> Vec<i32> {
    let mut ids: Vec<i32> = sectors
        .unwrap_or_default()
        .keys()
        .map(|k| k.parse().unwrap_or(0))
        .collect();
    ids.sort_unstable();
    ids
}

#[server(endpoint = "admin/staff/create")]
pub async fn create_staff(
    username: String,
    full_name: String,
    role: String,
    office_code: Option<String>,
    province_code: Option<String>,
    sectors: Option<HashMap<String, String>>,
    password: String,
) -> Result<i32, AppError> {
    use crate::backend::users::{create, require_admin, Actor};
    let user = super::with_status(super::current_user().await)?;
    super::with_status(require_admin(&user))?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let input = crate::types::admin::StaffInput {
        username: username.clone(),
        full_name: full_name.clone(),
        role: role.clone(),
        office_code: office_code.clone(),
        province_code: province_code.clone(),
        sectors: sector_ids(sectors),
        password,
    };
    match create(
        &db,
        Actor::Admin(&user, ip.as_deref()),
        input,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(id) => {
            super::redirect(&super::with_query(
                "/admin/users",
                &[("created", username.trim())],
            ));
            Ok(id)
        }
        Err(err) => {
            // The password is never sent back in the address.
            let kept = [
                ("username", Some(username)),
                ("full_name", Some(full_name)),
                ("role", Some(role)),
                ("office_code", office_code),
                ("province_code", province_code),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect();
            super::back_to_form("/admin/users", kept, err).await
        }
    }
}

#[server(endpoint = "admin/staff/active")]
pub async fn set_staff_active(user_id: i32, active: String) -> Result<u64, AppError> {
    use crate::backend::users::{set_active, Actor, UserRef};
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = set_active(
        &db,
        Actor::Admin(&user, ip.as_deref()),
        UserRef::Id(user_id),
        active == "true",
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(ended) => {
            super::redirect("/admin/users?updated=1");
            Ok(ended)
        }
        Err(err) => super::back_to_form("/admin/users", Vec::new(), err).await,
    }
}

#[server(endpoint = "admin/staff/password")]
pub async fn reset_staff_password(user_id: i32, password: String) -> Result<(), AppError> {
    use crate::backend::users::{reset_password, Actor, UserRef};
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = reset_password(
        &db,
        Actor::Admin(&user, ip.as_deref()),
        UserRef::Id(user_id),
        &password,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect("/admin/users?updated=1");
            Ok(())
        }
        Err(err) => {
            // Which row's form shows the message: an id, not what was typed.
            let path = super::with_query("/admin/users", &[("for_user", &user_id.to_string())]);
            super::back_to_form(&path, Vec::new(), err).await
        }
    }
}

#[server(endpoint = "admin/services")]
pub async fn list_services_admin() -> Result<Vec<(ServiceSummary, bool)>, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::catalogue_admin::all_services(&db, &user).await)
}

#[server(endpoint = "admin/services/get")]
pub async fn get_service_edit(id: i32) -> Result<ServiceEdit, AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    super::with_status(crate::backend::catalogue_admin::service_for_edit(&db, &user, id).await)
}

#[server(endpoint = "admin/services/update")]
pub async fn save_service(
    id: i32,
    fee_riel: String,
    time_standard_days: String,
    documents_km: String,
    documents_en: String,
    active: Option<String>,
    include: Option<HashMap<String, String>>,
    days: Option<HashMap<String, String>>,
) -> Result<(), AppError> {
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let update = crate::types::admin::ServiceUpdate {
        fee_riel,
        time_standard_days,
        documents_km,
        documents_en,
        active: active.is_some(),
        include: include.unwrap_or_default(),
        days: days.unwrap_or_default(),
    };
    let path = format!("/admin/services/{id}");
    let result = crate::backend::catalogue_admin::update_service(
        &db,
        &user,
        id,
        update,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(()) => {
            super::redirect(&super::with_query(&path, &[("saved", "1")]));
            Ok(())
        }
        Err(err) => super::back_to_form(&path, Vec::new(), err).await,
    }
}

#[server(endpoint = "admin/holidays")]
pub async fn list_holidays(year: Option<i32>) -> Result<(i32, Vec<HolidayRow>), AppError> {
    use chrono::Datelike;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let year =
        year.unwrap_or_else(|| crate::backend::calendar::local_date(chrono::Utc::now()).year());
    let rows = super::with_status(
        crate::backend::catalogue_admin::holidays_of_year(&db, &user, year).await,
    )?;
    Ok((year, rows))
}

#[server(endpoint = "admin/holidays/save")]
pub async fn save_holiday(day: String, name_km: String, name_en: String) -> Result<(), AppError> {
    use chrono::Datelike;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result = crate::backend::catalogue_admin::save_holiday(
        &db,
        &user,
        &day,
        &name_km,
        &name_en,
        ip,
        chrono::Utc::now(),
    )
    .await;
    match result {
        Ok(saved) => {
            super::redirect(&format!("/admin/holidays?year={}&saved=1", saved.year()));
            Ok(())
        }
        Err(err) => {
            let kept = [("day", day), ("name_km", name_km), ("name_en", name_en)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            super::back_to_form("/admin/holidays", kept, err).await
        }
    }
}

#[server(endpoint = "admin/holidays/delete")]
pub async fn delete_holiday(day: String) -> Result<(), AppError> {
    use chrono::Datelike;
    let user = super::with_status(super::current_user().await)?;
    let db = crate::backend::state::db()?;
    let (ip, _) = super::request_origin();
    let result =
        crate::backend::catalogue_admin::delete_holiday(&db, &user, &day, ip, chrono::Utc::now())
            .await;
    match result {
        Ok(deleted) => {
            super::redirect(&format!("/admin/holidays?year={}&saved=1", deleted.year()));
            Ok(())
        }
        Err(err) => super::back_to_form("/admin/holidays", Vec::new(), err).await,
    }
}
