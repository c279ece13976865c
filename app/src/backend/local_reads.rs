//! Reads on a SQLite connection that the calling thread owns.
//!
//! sqlx runs each SQLite statement on a worker thread of its own and wakes the caller when the
//! answer is ready: two thread switches per statement. In session 16's profile of the status page
//! (BENCHMARKS.md, P1) those switches and sqlx's channel loop took over a third of the CPU. An
//! indexed read of pages already in SQLite's cache costs a few microseconds, less than the
//! switches, so the busiest public reads run here instead: on the tokio worker itself, through a
//! connection kept per thread, with its prepared statements cached. WAL lets them run beside the
//! writer without waiting for it. PostgreSQL keeps its async pool.
//!
//! The queries stay sea-orm queries. A select is built for SQLite and run here, and each row
//! becomes the entity's model through its active model, column by column. A model field takes a
//! value of exactly its type (an `i64` id wants `BigInt`, where SQLite only says INTEGER), so the
//! values are typed from the entity's column definitions.

use std::{
    cell::RefCell,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::types::ValueRef;
use sea_orm::{
    sea_query::{ColumnType, Value},
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, IdenStatic,
    Iterable, QuerySelect, QueryTrait, Select, TryIntoModel,
};

use super::metrics::Counters;

/// The SQLite file a server reads on its threads' own connections.
pub struct LocalSqlite {
    /// Tells apart the databases one process opens (the integration tests open many).
    id: u64,
    path: String,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for LocalSqlite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalSqlite")
            .field("path", &self.path)
            .finish()
    }
}

thread_local! {
    static CONNECTIONS: RefCell<Vec<(u64, rusqlite::Connection)>> =
        const { RefCell::new(Vec::new()) };
}

/// A server opens one database; tests open one per test on the same threads, so a thread keeps
/// only its few most recent ones.
const KEPT_PER_THREAD: usize = 4;
const CACHED_STATEMENTS: usize = 64;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl LocalSqlite {
    /// The file behind `url`, when it is a SQLite file; `None` for PostgreSQL or in-memory.
    pub fn for_url(url: &str, counters: Arc<Counters>) -> Option<Arc<LocalSqlite>> {
        if super::db::DbKind::of_url(url).ok()? != super::db::DbKind::Sqlite {
            return None;
        }
        let path = super::db::sqlite_path(url)?;
        Some(Arc::new(LocalSqlite {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            path,
            counters,
        }))
    }

    fn open(&self) -> rusqlite::Result<rusqlite::Connection> {
        use rusqlite::OpenFlags;
        // Read-write flags with `query_only`: a read-only open of a WAL file fails when its
        // `-shm` is missing, and this connection must never write either way.
        let connection = rusqlite::Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        connection.pragma_update(None, "query_only", true)?;
        connection.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
        Ok(connection)
    }

    fn with_connection<T>(
        &self,
        run: impl FnOnce(&rusqlite::Connection) -> Result<T, DbErr>,
    ) -> Result<T, DbErr> {
        CONNECTIONS.with(|cell| {
            let mut kept = cell.borrow_mut();
            let at = match kept.iter().position(|(id, _)| *id == self.id) {
                Some(at) => at,
                None => {
                    let connection = self.open().map_err(query_error)?;
                    if kept.len() >= KEPT_PER_THREAD {
                        kept.remove(0);
                    }
                    kept.push((self.id, connection));
                    kept.len() - 1
                }
            };
            run(&kept[at].1)
        })
    }

    /// Each row of `select` as the entity's model, with the values of the `extra` columns the
    /// select adds to the entity's own, in their order.
    pub fn rows<E>(
        &self,
        select: Select<E>,
        extra: &[(&'static str, ColumnType)],
    ) -> Result<Vec<Row<E>>, DbErr>
    where
        E: EntityTrait,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        let statement = select.build(DbBackend::Sqlite);
        let result = self.with_connection(|connection| {
            let mut prepared = connection
                .prepare_cached(&statement.sql)
                .map_err(query_error)?;
            let places: Vec<Place<E::Column>> = prepared
                .column_names()
                .into_iter()
                .map(|name| {
                    if let Some(column) = E::Column::iter().find(|c| c.as_str() == name) {
                        let declared = column.def().get_column_type().clone();
                        Ok(Place::Field(column, declared))
                    } else if let Some(at) = extra.iter().position(|(n, _)| *n == name) {
                        Ok(Place::Extra(at))
                    } else {
                        Err(query_error(format!("column {name} has no declared type")))
                    }
                })
                .collect::<Result<_, _>>()?;
            let values = statement.values.as_ref().map(|v| v.0.as_slice());
            let parameters = values
                .unwrap_or_default()
                .iter()
                .map(parameter)
                .collect::<Result<Vec<_>, _>>()?;
            let mut rows = prepared
                .query(rusqlite::params_from_iter(parameters))
                .map_err(query_error)?;
            let mut found = Vec::new();
            while let Some(row) = rows.next().map_err(query_error)? {
                let mut model = <E::ActiveModel as ActiveModelTrait>::default();
                let mut added = vec![Value::Bool(None); extra.len()];
                for (i, place) in places.iter().enumerate() {
                    let raw = row.get_ref(i).map_err(query_error)?;
                    match place {
                        Place::Field(column, declared) => {
                            model.try_set(*column, typed(raw, declared, column.as_str())?)?
                        }
                        Place::Extra(at) => {
                            let (name, declared) = &extra[*at];
                            added[*at] = typed(raw, declared, name)?;
                        }
                    }
                }
                found.push((model.try_into_model()?, added));
            }
            Ok(found)
        });
        self.counters.statements.fetch_add(1, Ordering::Relaxed);
        if result.is_err() {
            self.counters
                .failed_statements
                .fetch_add(1, Ordering::Relaxed);
        }
        result
    }
}

/// A model with the values of the extra columns its select added.
pub type Row<E> = (<E as EntityTrait>::Model, Vec<Value>);

/// Where a result column goes: a field of the model, or one of the extra columns.
enum Place<C> {
    Field(C, ColumnType),
    Extra(usize),
}

/// Where a request's reads go: the thread's own SQLite connection when the database is a SQLite
/// file, else sea-orm's pool. Writes always go through `db`.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub db: &'a DatabaseConnection,
    local: Option<&'a LocalSqlite>,
}

impl<'a> Reader<'a> {
    pub fn new(db: &'a DatabaseConnection, local: Option<&'a LocalSqlite>) -> Reader<'a> {
        Reader { db, local }
    }

    /// Reads through the pool only, for callers that hold no thread-owned connection.
    pub fn pool(db: &'a DatabaseConnection) -> Reader<'a> {
        Reader { db, local: None }
    }

    /// The thread-owned connection, when reads go there.
    pub fn local(&self) -> Option<&'a LocalSqlite> {
        self.local
    }

    /// The first row of `select`.
    pub async fn one<E>(&self, select: Select<E>) -> Result<Option<E::Model>, DbErr>
    where
        E: EntityTrait,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        match self.local {
            Some(local) => Ok(local.rows(select.limit(1), &[])?.pop().map(|(m, _)| m)),
            None => select.one(self.db).await,
        }
    }

    /// Every row of `select`.
    pub async fn all<E>(&self, select: Select<E>) -> Result<Vec<E::Model>, DbErr>
    where
        E: EntityTrait,
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        match self.local {
            Some(local) => Ok(local
                .rows(select, &[])?
                .into_iter()
                .map(|(m, _)| m)
                .collect()),
            None => select.all(self.db).await,
        }
    }
}

fn query_error(err: impl std::fmt::Display) -> DbErr {
    DbErr::Custom(format!("local SQLite read: {err}"))
}

/// A bound value as sqlx would have stored it, so that comparisons with stored text (dates
/// above all) mean what they mean on the async pool.
fn parameter(value: &Value) -> Result<rusqlite::types::Value, DbErr> {
    use rusqlite::types::Value as Sql;
    Ok(match value {
        Value::Bool(v) => v.map_or(Sql::Null, |b| Sql::Integer(b.into())),
        Value::TinyInt(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        Value::SmallInt(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        Value::Int(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        Value::BigInt(v) => v.map_or(Sql::Null, Sql::Integer),
        Value::TinyUnsigned(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        Value::SmallUnsigned(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        Value::Unsigned(v) => v.map_or(Sql::Null, |x| Sql::Integer(x.into())),
        // A LIMIT comes as one of these.
        Value::BigUnsigned(v) => match v {
            None => Sql::Null,
            Some(x) => Sql::Integer(i64::try_from(*x).map_err(query_error)?),
        },
        Value::Float(v) => v.map_or(Sql::Null, |x| Sql::Real(x.into())),
        Value::Double(v) => v.map_or(Sql::Null, Sql::Real),
        Value::String(v) => v.clone().map_or(Sql::Null, Sql::Text),
        Value::Char(v) => v.map_or(Sql::Null, |c| Sql::Text(c.to_string())),
        Value::Bytes(v) => v.clone().map_or(Sql::Null, Sql::Blob),
        Value::ChronoDate(v) => v.map_or(Sql::Null, |d| Sql::Text(d.format("%F").to_string())),
        Value::ChronoDateTime(v) => {
            v.map_or(Sql::Null, |d| Sql::Text(d.format("%F %T%.f").to_string()))
        }
        Value::ChronoDateTimeUtc(v) => v.map_or(Sql::Null, |d| {
            Sql::Text(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
        }),
        other => {
            return Err(query_error(format!(
                "a parameter of a type local reads do not bind: {other:?}"
            )))
        }
    })
}

/// A stored value with the type its column is declared with.
fn typed(raw: ValueRef<'_>, column: &ColumnType, name: &str) -> Result<Value, DbErr> {
    let wrong = || {
        query_error(format!(
            "column {name}: {:?} does not read as {column:?}",
            raw.data_type()
        ))
    };
    if let ValueRef::Null = raw {
        return null_of(column).ok_or_else(wrong);
    }
    let as_text = || match raw {
        ValueRef::Text(bytes) => std::str::from_utf8(bytes).map_err(|_| wrong()),
        _ => Err(wrong()),
    };
    let as_integer = || match raw {
        ValueRef::Integer(i) => Ok(i),
        _ => Err(wrong()),
    };
    Ok(match column {
        ColumnType::Boolean => Value::Bool(Some(as_integer()? != 0)),
        ColumnType::TinyInteger => Value::TinyInt(Some(narrow(as_integer()?).ok_or_else(wrong)?)),
        ColumnType::SmallInteger => Value::SmallInt(Some(narrow(as_integer()?).ok_or_else(wrong)?)),
        ColumnType::Integer => Value::Int(Some(narrow(as_integer()?).ok_or_else(wrong)?)),
        ColumnType::BigInteger => Value::BigInt(Some(as_integer()?)),
        ColumnType::TinyUnsigned => {
            Value::TinyUnsigned(Some(narrow(as_integer()?).ok_or_else(wrong)?))
        }
        ColumnType::SmallUnsigned => {
            Value::SmallUnsigned(Some(narrow(as_integer()?).ok_or_else(wrong)?))
        }
        ColumnType::Unsigned => Value::Unsigned(Some(narrow(as_integer()?).ok_or_else(wrong)?)),
        ColumnType::BigUnsigned => {
            Value::BigUnsigned(Some(narrow(as_integer()?).ok_or_else(wrong)?))
        }
        ColumnType::Float | ColumnType::Double | ColumnType::Decimal(_) => match raw {
            ValueRef::Real(x) => Value::Double(Some(x)),
            ValueRef::Integer(i) => Value::Double(Some(i as f64)),
            _ => return Err(wrong()),
        },
        ColumnType::Char(_)
        | ColumnType::String(_)
        | ColumnType::Text
        | ColumnType::Enum { .. } => Value::String(Some(as_text()?.to_owned())),
        ColumnType::Blob | ColumnType::Binary(_) | ColumnType::VarBinary(_) => match raw {
            ValueRef::Blob(bytes) => Value::Bytes(Some(bytes.to_vec())),
            _ => return Err(wrong()),
        },
        ColumnType::Date => Value::ChronoDate(Some(
            NaiveDate::parse_from_str(as_text()?, "%F").map_err(|_| wrong())?,
        )),
        ColumnType::TimestampWithTimeZone => {
            Value::ChronoDateTimeUtc(Some(parse_timestamp(as_text()?).ok_or_else(wrong)?))
        }
        ColumnType::DateTime | ColumnType::Timestamp => Value::ChronoDateTime(Some(
            parse_timestamp(as_text()?).ok_or_else(wrong)?.naive_utc(),
        )),
        _ => return Err(wrong()),
    })
}

fn narrow<T: TryFrom<i64>>(i: i64) -> Option<T> {
    T::try_from(i).ok()
}

/// "No value" as an optional field of this column's type takes it: of the same variant.
fn null_of(column: &ColumnType) -> Option<Value> {
    Some(match column {
        ColumnType::Boolean => Value::Bool(None),
        ColumnType::TinyInteger => Value::TinyInt(None),
        ColumnType::SmallInteger => Value::SmallInt(None),
        ColumnType::Integer => Value::Int(None),
        ColumnType::BigInteger => Value::BigInt(None),
        ColumnType::TinyUnsigned => Value::TinyUnsigned(None),
        ColumnType::SmallUnsigned => Value::SmallUnsigned(None),
        ColumnType::Unsigned => Value::Unsigned(None),
        ColumnType::BigUnsigned => Value::BigUnsigned(None),
        ColumnType::Float | ColumnType::Double | ColumnType::Decimal(_) => Value::Double(None),
        ColumnType::Char(_)
        | ColumnType::String(_)
        | ColumnType::Text
        | ColumnType::Enum { .. } => Value::String(None),
        ColumnType::Blob | ColumnType::Binary(_) | ColumnType::VarBinary(_) => Value::Bytes(None),
        ColumnType::Date => Value::ChronoDate(None),
        ColumnType::TimestampWithTimeZone => Value::ChronoDateTimeUtc(None),
        ColumnType::DateTime | ColumnType::Timestamp => Value::ChronoDateTime(None),
        _ => return None,
    })
}

/// A stored timestamp in any of the forms sqlx reads: RFC 3339 (what it writes), or SQLite's
/// own `YYYY-MM-DD HH:MM[:SS[.fff]]` with or without an offset, a bare one being UTC.
fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%F %T%.f%:z", "%F %T%.f%#z", "%F %R%:z", "%FT%T%.f%:z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    for format in [
        "%F %T%.f",
        "%F %R",
        "%FT%T%.f",
        "%F %T%.fZ",
        "%F %RZ",
        "%FT%T%.fZ",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_timestamp_forms_sqlx_reads() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T20:10:05.25+00:00")
            .unwrap()
            .with_timezone(&Utc);
        for text in [
            "2026-12-07T20:10:05.25+00:00",
            "2026-12-07 20:10:05.25+00:00",
            "2026-12-07 20:10:05.25",
            "2026-12-08 03:10:05.25+07:00",
        ] {
            assert_eq!(parse_timestamp(text), Some(at), "{text}");
        }
        assert_eq!(
            parse_timestamp("2026-12-07 20:10:05+00:00"),
            Some(at - chrono::Duration::milliseconds(250))
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn binds_a_limit() {
        assert_eq!(
            parameter(&Value::BigUnsigned(Some(1))).unwrap(),
            rusqlite::types::Value::Integer(1)
        );
    }

    #[test]
    fn binds_timestamps_as_sqlx_stores_them() {
        let at = DateTime::parse_from_rfc3339("2026-12-07T20:10:05.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parameter(&Value::ChronoDateTimeUtc(Some(at))).unwrap(),
            rusqlite::types::Value::Text("2026-12-07T20:10:05.123456+00:00".into())
        );
    }

    #[test]
    fn types_values_by_their_declared_column() {
        let id = typed(ValueRef::Integer(7), &ColumnType::BigInteger, "id").unwrap();
        assert_eq!(id, Value::BigInt(Some(7)));
        let small = typed(ValueRef::Integer(5), &ColumnType::SmallInteger, "r").unwrap();
        assert_eq!(small, Value::SmallInt(Some(5)));
        let none = typed(ValueRef::Null, &ColumnType::Text, "comment").unwrap();
        assert_eq!(none, Value::String(None));
        assert!(typed(ValueRef::Integer(1 << 40), &ColumnType::Integer, "n").is_err());
        assert!(typed(ValueRef::Text(b"x"), &ColumnType::Integer, "n").is_err());
    }
}
