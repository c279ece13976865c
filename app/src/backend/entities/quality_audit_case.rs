use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quality_audit_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub audit_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i64,
    pub office_code: String,
    pub assigned_user_id: Option<i32>,
    pub fee_correct: Option<bool>,
    pub documents_complete: Option<bool>,
    pub deadline_met: Option<bool>,
    pub data_matches: Option<bool>,
    pub citizen_reached: Option<bool>,
    pub citizen_satisfied: Option<bool>,
    pub findings: Option<String>,
    pub checked_by: Option<i32>,
    pub checked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The six checklist answers in the order of `types::quality_audits::CHECKLIST_ITEMS`.
    pub fn answers(&self) -> [Option<bool>; 6] {
        [
            self.fee_correct,
            self.documents_complete,
            self.deadline_met,
            self.data_matches,
            self.citizen_reached,
            self.citizen_satisfied,
        ]
    }
}
