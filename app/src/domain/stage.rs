crate::domain::stored_enum! {
    /// The ten stages of a case, in the order of the seed's case timeline and dashboard tiles.
    #[derive(PartialOrd, Ord)]
    pub enum Stage {
        Registration,
        Cashier,
        ChiefCheck,
        TechnicalReview,
        ChiefOpinion,
        DirectorOpinion,
        Decision,
        TaxBranch,
        Returned,
        Delivered,
    }
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Registration,
        Stage::Cashier,
        Stage::ChiefCheck,
        Stage::TechnicalReview,
        Stage::ChiefOpinion,
        Stage::DirectorOpinion,
        Stage::Decision,
        Stage::TaxBranch,
        Stage::Returned,
        Stage::Delivered,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Stage::Registration => "registration",
            Stage::Cashier => "cashier",
            Stage::ChiefCheck => "chief_check",
            Stage::TechnicalReview => "technical_review",
            Stage::ChiefOpinion => "chief_opinion",
            Stage::DirectorOpinion => "director_opinion",
            Stage::Decision => "decision",
            Stage::TaxBranch => "tax_branch",
            Stage::Returned => "returned",
            Stage::Delivered => "delivered",
        }
    }

    pub fn from_id(id: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The locale key of the stage's name, e.g. `stage_chief_check`.
    pub fn text_key(self) -> String {
        format!("stage_{}", self.id())
    }

    /// The locale key of the stage's name as the citizen reads it. The seed's name of the
    /// ready-for-pickup stage, "returned to the customer", reads to a citizen as "sent back to
    /// me for correction", so the status page says plainly that the document is ready.
    pub fn citizen_text_key(self) -> String {
        match self {
            Stage::Returned => "stage_returned_citizen".to_string(),
            other => other.text_key(),
        }
    }

    /// Stages where the case is examined and may be forwarded, returned or rejected.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Stage::ChiefCheck
                | Stage::TechnicalReview
                | Stage::ChiefOpinion
                | Stage::DirectorOpinion
                | Stage::Decision
        )
    }
}

crate::domain::stored_enum! {
    /// Where a case stands overall, independently of its stage.
    pub enum CaseStatus {
        Active,
        ReturnedToCitizen,
        Rejected,
        Delivered,
    }
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::Active,
        CaseStatus::ReturnedToCitizen,
        CaseStatus::Rejected,
        CaseStatus::Delivered,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CaseStatus::Active => "active",
            CaseStatus::ReturnedToCitizen => "returned_to_citizen",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Delivered => "delivered",
        }
    }

    pub fn from_id(id: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.id() == id)
    }

    /// The locale key of the status's name, e.g. `case_status_active`.
    pub fn text_key(self) -> String {
        format!("case_status_{}", self.id())
    }
}

crate::domain::stored_enum! {
    /// Where a case came in: at the office's counter, or pre-registered online by the citizen.
    pub enum Channel {
        Counter,
        Online,
    }
}

impl Channel {
    pub fn id(self) -> &'static str {
        match self {
            Channel::Counter => "counter",
            Channel::Online => "online",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_id(s.id()), Some(s));
        }
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_id(s.id()), Some(s));
        }
        assert_eq!(Stage::from_id("nope"), None);
    }
}
