//! Reference data the public status lookup reads on every request (a service with its workflow,
//! an office, the holidays), kept per server process for a few seconds. Reading them took four of
//! the lookup's eight queries, and they change only through the admin screens. A change therefore
//! reaches the public status page within `FRESH_FOR` on every server; staff screens always read
//! the database.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, EntityTrait};

use super::{
    calendar,
    cases::workflow_of,
    entities::{office, service},
};
use crate::{
    domain::{calendar::Holidays, Stage},
    error::AppError,
};

pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// A service with its workflow steps (stage, working days) in order.
pub struct ServiceRef {
    pub service: service::Model,
    pub steps: Vec<(Stage, i32)>,
}

type Table<K, V> = Mutex<HashMap<K, (Instant, Arc<V>)>>;

#[derive(Default)]
pub struct ReferenceCache {
    services: Table<i32, ServiceRef>,
    offices: Table<String, office::Model>,
    holidays: Table<(), Holidays>,
}

impl std::fmt::Debug for ReferenceCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReferenceCache")
    }
}

/// The fresh entry for `key`, or what `load` reads, remembered from now on.
async fn fresh<K: Hash + Eq + Clone, V>(
    table: &Table<K, V>,
    key: &K,
    load: impl std::future::Future<Output = Result<V, AppError>>,
) -> Result<Arc<V>, AppError> {
    let now = Instant::now();
    if let Some((at, value)) = table.lock().unwrap_or_else(|e| e.into_inner()).get(key) {
        if now.duration_since(*at) < FRESH_FOR {
            return Ok(value.clone());
        }
    }
    let value = Arc::new(load.await?);
    table
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.clone(), (now, value.clone()));
    Ok(value)
}

impl ReferenceCache {
    pub async fn service(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
    ) -> Result<Arc<ServiceRef>, AppError> {
        fresh(&self.services, &id, async {
            Ok(ServiceRef {
                service: service::Entity::find_by_id(id)
                    .one(db)
                    .await?
                    .ok_or(AppError::Internal)?,
                steps: workflow_of(db, id).await?,
            })
        })
        .await
    }

    pub async fn office(
        &self,
        db: &impl ConnectionTrait,
        code: &str,
    ) -> Result<Arc<office::Model>, AppError> {
        fresh(&self.offices, &code.to_string(), async {
            office::Entity::find_by_id(code.to_string())
                .one(db)
                .await?
                .ok_or(AppError::Internal)
        })
        .await
    }

    pub async fn holidays(&self, db: &impl ConnectionTrait) -> Result<Arc<Holidays>, AppError> {
        fresh(&self.holidays, &(), calendar::holidays(db)).await
    }
}
