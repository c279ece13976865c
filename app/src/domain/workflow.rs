//! The case state machine. Every transition of every case, from any screen or API client, is
//! decided here; services only carry the result out. The steps themselves are data: each
//! service's workflow template lists its stages in order.

use serde::{Deserialize, Serialize};

use super::{CaseStatus, Role, Stage};

/// What a user can do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Front desk completes an online pre-registration when the citizen brings the documents.
    CompleteRegistration,
    Pay,
    CancelPayment,
    Forward,
    Return,
    Resubmit,
    Reject,
    Approve,
    TaxConfirm,
    Deliver,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::CompleteRegistration,
        Action::Pay,
        Action::CancelPayment,
        Action::Forward,
        Action::Return,
        Action::Resubmit,
        Action::Reject,
        Action::Approve,
        Action::TaxConfirm,
        Action::Deliver,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Action::CompleteRegistration => "complete_registration",
            Action::Pay => "pay",
            Action::CancelPayment => "cancel_payment",
            Action::Forward => "forward",
            Action::Return => "return",
            Action::Resubmit => "resubmit",
            Action::Reject => "reject",
            Action::Approve => "approve",
            Action::TaxConfirm => "tax_confirm",
            Action::Deliver => "deliver",
        }
    }

    pub fn from_id(id: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.id() == id)
    }

    /// Actions whose comment is the required reason.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Action::Return | Action::Reject | Action::CancelPayment
        )
    }

    pub fn text_key(self) -> String {
        format!("action_{}", self.id())
    }

    /// How much an action undoes: the case page offers the way onward first, a return for
    /// correction after it, and what cannot be taken back last, behind a confirmation.
    pub fn weight(self) -> ActionWeight {
        match self {
            Action::Return => ActionWeight::Setback,
            Action::CancelPayment | Action::Reject => ActionWeight::Destructive,
            _ => ActionWeight::Onward,
        }
    }
}

/// See [`Action::weight`]; ordered as the case page lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionWeight {
    Onward,
    Setback,
    Destructive,
}

crate::domain::stored_enum! {
    /// What one entry of a case's timeline records: the case coming in, at the counter or online,
    /// or one action of the state machine. Stored in `case_events.action`.
    pub enum CaseEventKind {
        Register,
        PreRegister,
        CompleteRegistration,
        Pay,
        CancelPayment,
        Forward,
        Return,
        Resubmit,
        Reject,
        Approve,
        TaxConfirm,
        Deliver,
    }
}

impl CaseEventKind {
    /// How the case came in.
    pub fn arrival(online: bool) -> CaseEventKind {
        if online {
            CaseEventKind::PreRegister
        } else {
            CaseEventKind::Register
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            CaseEventKind::Register => "register",
            CaseEventKind::PreRegister => "pre_register",
            CaseEventKind::CompleteRegistration => Action::CompleteRegistration.id(),
            CaseEventKind::Pay => Action::Pay.id(),
            CaseEventKind::CancelPayment => Action::CancelPayment.id(),
            CaseEventKind::Forward => Action::Forward.id(),
            CaseEventKind::Return => Action::Return.id(),
            CaseEventKind::Resubmit => Action::Resubmit.id(),
            CaseEventKind::Reject => Action::Reject.id(),
            CaseEventKind::Approve => Action::Approve.id(),
            CaseEventKind::TaxConfirm => Action::TaxConfirm.id(),
            CaseEventKind::Deliver => Action::Deliver.id(),
        }
    }

    /// The locale key of the entry's name, e.g. `action_forward`.
    pub fn text_key(self) -> String {
        format!("action_{}", self.id())
    }
}

impl From<Action> for CaseEventKind {
    fn from(action: Action) -> Self {
        match action {
            Action::CompleteRegistration => CaseEventKind::CompleteRegistration,
            Action::Pay => CaseEventKind::Pay,
            Action::CancelPayment => CaseEventKind::CancelPayment,
            Action::Forward => CaseEventKind::Forward,
            Action::Return => CaseEventKind::Return,
            Action::Resubmit => CaseEventKind::Resubmit,
            Action::Reject => CaseEventKind::Reject,
            Action::Approve => CaseEventKind::Approve,
            Action::TaxConfirm => CaseEventKind::TaxConfirm,
            Action::Deliver => CaseEventKind::Deliver,
        }
    }
}

/// Whether the deadline clock runs, stops (case back with the citizen) or starts again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Run,
    Pause,
    Resume,
}

/// The outcome of an allowed action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub action: Action,
    pub to_stage: Stage,
    pub to_status: CaseStatus,
    pub clock: Clock,
}

/// Why an action was refused; each maps to a message users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum WorkflowError {
    #[error("the case is closed")]
    Closed,
    #[error("the case is waiting for the citizen's corrections")]
    WithCitizen,
    #[error("this action does not apply at the case's current stage")]
    WrongStage,
    #[error("your role cannot take this action at this stage")]
    WrongRole,
    #[error("the case has no payment to cancel")]
    NotPaid,
}

impl WorkflowError {
    pub fn text_key(self) -> &'static str {
        match self {
            WorkflowError::Closed => "wf_closed",
            WorkflowError::WithCitizen => "wf_with_citizen",
            WorkflowError::WrongStage => "wf_wrong_stage",
            WorkflowError::WrongRole => "wf_wrong_role",
            WorkflowError::NotPaid => "wf_not_paid",
        }
    }
}

/// The facts about a case the rules depend on.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub stage: Stage,
    pub status: CaseStatus,
    /// The service's workflow, in order.
    pub steps: &'a [Stage],
    pub sector_id: i32,
    /// An uncancelled payment exists.
    pub paid: bool,
}

/// The acting user; jurisdiction is checked before the rules are asked.
#[derive(Debug, Clone, Copy)]
pub struct ActorFacts<'a> {
    pub role: Role,
    pub sectors: &'a [i32],
}

/// The stage after `stage` in the workflow, or `Delivered` at the end.
pub fn next_stage(steps: &[Stage], stage: Stage) -> Stage {
    steps
        .iter()
        .position(|s| *s == stage)
        .and_then(|i| steps.get(i + 1).copied())
        .unwrap_or(Stage::Delivered)
}

/// Who examines a case at each review stage.
fn reviewer_may_act(stage: Stage, actor: &ActorFacts<'_>, sector_id: i32) -> bool {
    match stage {
        Stage::ChiefCheck | Stage::ChiefOpinion => actor.role == Role::OfficeChief,
        Stage::TechnicalReview => {
            actor.role == Role::TechnicalOfficer && actor.sectors.contains(&sector_id)
        }
        Stage::DirectorOpinion => actor.role == Role::AdminDirector,
        Stage::Decision => actor.role == Role::DecisionMaker,
        _ => false,
    }
}

/// The stage whose inbox a role works from (technical officers also by sector).
pub fn inbox_stages(role: Role) -> &'static [Stage] {
    match role {
        Role::FrontDesk => &[Stage::Registration, Stage::TaxBranch, Stage::Returned],
        Role::Cashier => &[Stage::Cashier],
        Role::OfficeChief => &[Stage::ChiefCheck, Stage::ChiefOpinion, Stage::TaxBranch],
        Role::TechnicalOfficer => &[Stage::TechnicalReview],
        Role::AdminDirector => &[Stage::DirectorOpinion],
        Role::DecisionMaker => &[Stage::Decision],
        _ => &[],
    }
}

/// Decides whether `actor` may take `action` on the case now, and where it leads.
pub fn decide(
    case: &CaseFacts<'_>,
    actor: &ActorFacts<'_>,
    action: Action,
) -> Result<Transition, WorkflowError> {
    use CaseStatus::*;
    if matches!(case.status, Rejected | Delivered) || case.stage == Stage::Delivered {
        return Err(WorkflowError::Closed);
    }
    if case.status == ReturnedToCitizen && action != Action::Resubmit {
        return Err(WorkflowError::WithCitizen);
    }
    let next = next_stage(case.steps, case.stage);
    let to = |to_stage: Stage, to_status: CaseStatus, clock: Clock| Transition {
        action,
        to_stage,
        to_status,
        clock,
    };
    let need = |ok: bool, t: Transition| {
        if ok {
            Ok(t)
        } else {
            Err(WorkflowError::WrongRole)
        }
    };
    match action {
        Action::CompleteRegistration => {
            if case.stage != Stage::Registration {
                return Err(WorkflowError::WrongStage);
            }
            need(actor.role == Role::FrontDesk, to(next, Active, Clock::Run))
        }
        Action::Pay => {
            if case.stage != Stage::Cashier {
                return Err(WorkflowError::WrongStage);
            }
            need(actor.role == Role::Cashier, to(next, Active, Clock::Run))
        }
        Action::CancelPayment => {
            if !case.paid {
                return Err(WorkflowError::NotPaid);
            }
            if !case.steps.contains(&Stage::Cashier)
                || matches!(case.stage, Stage::Registration | Stage::Cashier)
            {
                return Err(WorkflowError::WrongStage);
            }
            need(
                actor.role == Role::OfficeChief,
                to(Stage::Cashier, Active, Clock::Run),
            )
        }
        Action::Forward | Action::Return | Action::Reject | Action::Approve => {
            if !case.stage.is_review() {
                return Err(WorkflowError::WrongStage);
            }
            // At the decision the way forward is called approval, and elsewhere forwarding.
            let forward_like = matches!(action, Action::Forward | Action::Approve);
            if forward_like && (action == Action::Approve) != (case.stage == Stage::Decision) {
                return Err(WorkflowError::WrongStage);
            }
            let ok = reviewer_may_act(case.stage, actor, case.sector_id);
            match action {
                Action::Return => need(ok, to(case.stage, ReturnedToCitizen, Clock::Pause)),
                Action::Reject => need(ok, to(case.stage, Rejected, Clock::Run)),
                _ => need(ok, to(next, Active, Clock::Run)),
            }
        }
        Action::Resubmit => {
            if case.status != ReturnedToCitizen {
                return Err(WorkflowError::WrongStage);
            }
            need(
                actor.role == Role::FrontDesk,
                to(case.stage, Active, Clock::Resume),
            )
        }
        Action::TaxConfirm => {
            if case.stage != Stage::TaxBranch {
                return Err(WorkflowError::WrongStage);
            }
            need(
                matches!(actor.role, Role::FrontDesk | Role::OfficeChief),
                to(next, Active, Clock::Run),
            )
        }
        Action::Deliver => {
            if case.stage != Stage::Returned {
                return Err(WorkflowError::WrongStage);
            }
            need(
                actor.role == Role::FrontDesk,
                to(Stage::Delivered, Delivered, Clock::Run),
            )
        }
    }
}

/// Every action `actor` may take on the case now.
pub fn allowed_actions(case: &CaseFacts<'_>, actor: &ActorFacts<'_>) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| decide(case, actor, *a).is_ok())
        .collect()
}

/// Stages every workflow has: a case is always registered, decided, returned and handed over.
pub const MANDATORY_STAGES: [Stage; 4] = [
    Stage::Registration,
    Stage::Decision,
    Stage::Returned,
    Stage::Delivered,
];

/// Checks a workflow template an administrator wrote: stages in the canonical order, the
/// mandatory ones present, a cashier whenever there is a fee, and per-step allowances that add
/// up to the time standard. Answers the field and locale key of the first problem.
pub fn check_template(
    steps: &[(Stage, u32)],
    fee_riel: i64,
    time_standard_days: u32,
) -> Result<(), (&'static str, &'static str)> {
    if steps.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(("steps", "err_steps_order"));
    }
    if MANDATORY_STAGES
        .iter()
        .any(|m| !steps.iter().any(|(s, _)| s == m))
    {
        return Err(("steps", "err_steps_mandatory"));
    }
    if fee_riel > 0 && !steps.iter().any(|(s, _)| *s == Stage::Cashier) {
        return Err(("steps", "err_steps_cashier_for_fee"));
    }
    let total: u32 = steps.iter().map(|(_, d)| d).sum();
    if total != time_standard_days {
        return Err(("time_standard_days", "err_steps_sum"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;

    const FULL: [Stage; 10] = [
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
    ];
    const SHORT: [Stage; 5] = [Registration, ChiefCheck, Decision, Returned, Delivered];

    #[test]
    fn each_action_is_recorded_under_its_own_name() {
        for action in Action::ALL {
            assert_eq!(CaseEventKind::from(action).id(), action.id());
            assert_eq!(CaseEventKind::from(action).text_key(), action.text_key());
        }
        assert_eq!(CaseEventKind::arrival(true).id(), "pre_register");
        assert_eq!(CaseEventKind::arrival(false).id(), "register");
    }

    fn case(stage: Stage, status: CaseStatus, steps: &[Stage]) -> CaseFacts<'_> {
        CaseFacts {
            stage,
            status,
            steps,
            sector_id: 6,
            paid: true,
        }
    }

    fn actor(role: Role) -> ActorFacts<'static> {
        ActorFacts {
            role,
            sectors: &[6],
        }
    }

    /// The role that moves a case on at each stage of the full workflow.
    fn mover(stage: Stage) -> (Role, Action) {
        match stage {
            Registration => (Role::FrontDesk, Action::CompleteRegistration),
            Cashier => (Role::Cashier, Action::Pay),
            ChiefCheck | ChiefOpinion => (Role::OfficeChief, Action::Forward),
            TechnicalReview => (Role::TechnicalOfficer, Action::Forward),
            DirectorOpinion => (Role::AdminDirector, Action::Forward),
            Decision => (Role::DecisionMaker, Action::Approve),
            TaxBranch => (Role::FrontDesk, Action::TaxConfirm),
            Returned => (Role::FrontDesk, Action::Deliver),
            Delivered => unreachable!(),
        }
    }

    #[test]
    fn a_case_walks_the_whole_workflow() {
        for steps in [&FULL[..], &SHORT[..]] {
            let mut stage = Registration;
            let mut status = CaseStatus::Active;
            let mut visited = vec![stage];
            while stage != Delivered {
                let (role, action) = mover(stage);
                let t = decide(&case(stage, status, steps), &actor(role), action).unwrap();
                stage = t.to_stage;
                status = t.to_status;
                visited.push(stage);
            }
            assert_eq!(visited, steps);
            assert_eq!(status, CaseStatus::Delivered);
        }
    }

    #[test]
    fn wrong_role_wrong_stage_and_skips_are_refused() {
        let c = case(ChiefCheck, CaseStatus::Active, &FULL);
        assert_eq!(
            decide(&c, &actor(Role::Cashier), Action::Forward),
            Err(WorkflowError::WrongRole)
        );
        assert_eq!(
            decide(&c, &actor(Role::OfficeChief), Action::Approve),
            Err(WorkflowError::WrongStage)
        );
        assert_eq!(
            decide(&c, &actor(Role::FrontDesk), Action::Deliver),
            Err(WorkflowError::WrongStage)
        );
        assert_eq!(
            decide(&c, &actor(Role::Cashier), Action::Pay),
            Err(WorkflowError::WrongStage)
        );
        let d = case(Decision, CaseStatus::Active, &FULL);
        assert_eq!(
            decide(&d, &actor(Role::DecisionMaker), Action::Forward),
            Err(WorkflowError::WrongStage)
        );
        assert_eq!(
            decide(&d, &actor(Role::NationalViewer), Action::Approve),
            Err(WorkflowError::WrongRole)
        );
    }

    #[test]
    fn technical_officers_act_only_in_their_sectors() {
        let c = case(TechnicalReview, CaseStatus::Active, &FULL);
        let other = ActorFacts {
            role: Role::TechnicalOfficer,
            sectors: &[3],
        };
        assert_eq!(
            decide(&c, &other, Action::Forward),
            Err(WorkflowError::WrongRole)
        );
        assert!(decide(&c, &actor(Role::TechnicalOfficer), Action::Forward).is_ok());
    }

    #[test]
    fn return_pauses_and_resubmit_resumes_at_the_same_stage() {
        let c = case(TechnicalReview, CaseStatus::Active, &FULL);
        let t = decide(&c, &actor(Role::TechnicalOfficer), Action::Return).unwrap();
        assert_eq!(
            (t.to_stage, t.to_status, t.clock),
            (TechnicalReview, CaseStatus::ReturnedToCitizen, Clock::Pause)
        );
        let back = case(TechnicalReview, CaseStatus::ReturnedToCitizen, &FULL);
        assert_eq!(
            decide(&back, &actor(Role::TechnicalOfficer), Action::Forward),
            Err(WorkflowError::WithCitizen)
        );
        assert_eq!(
            allowed_actions(&back, &actor(Role::FrontDesk)),
            vec![Action::Resubmit]
        );
        let t = decide(&back, &actor(Role::FrontDesk), Action::Resubmit).unwrap();
        assert_eq!(
            (t.to_stage, t.to_status, t.clock),
            (TechnicalReview, CaseStatus::Active, Clock::Resume)
        );
    }

    #[test]
    fn rejection_and_delivery_are_final() {
        let c = case(DirectorOpinion, CaseStatus::Active, &FULL);
        let t = decide(&c, &actor(Role::AdminDirector), Action::Reject).unwrap();
        assert_eq!(t.to_status, CaseStatus::Rejected);
        let closed = case(DirectorOpinion, CaseStatus::Rejected, &FULL);
        for role in Role::ALL {
            assert!(allowed_actions(&closed, &actor(role)).is_empty());
        }
        let done = case(Delivered, CaseStatus::Delivered, &FULL);
        assert!(allowed_actions(&done, &actor(Role::FrontDesk)).is_empty());
    }

    #[test]
    fn only_the_chief_cancels_a_payment_and_the_case_goes_back_to_the_cashier() {
        let c = case(TechnicalReview, CaseStatus::Active, &FULL);
        assert_eq!(
            decide(&c, &actor(Role::Cashier), Action::CancelPayment),
            Err(WorkflowError::WrongRole)
        );
        let t = decide(&c, &actor(Role::OfficeChief), Action::CancelPayment).unwrap();
        assert_eq!(t.to_stage, Cashier);
        let unpaid = CaseFacts { paid: false, ..c };
        assert_eq!(
            decide(&unpaid, &actor(Role::OfficeChief), Action::CancelPayment),
            Err(WorkflowError::NotPaid)
        );
        assert!(
            Action::CancelPayment.needs_reason()
                && Action::Return.needs_reason()
                && !Action::Forward.needs_reason()
        );
    }

    #[test]
    fn decision_goes_to_tax_branch_only_when_the_service_has_it() {
        let with_tax = case(Decision, CaseStatus::Active, &FULL);
        assert_eq!(
            decide(&with_tax, &actor(Role::DecisionMaker), Action::Approve)
                .unwrap()
                .to_stage,
            TaxBranch
        );
        let without = case(Decision, CaseStatus::Active, &SHORT);
        assert_eq!(
            decide(&without, &actor(Role::DecisionMaker), Action::Approve)
                .unwrap()
                .to_stage,
            Returned
        );
    }

    #[test]
    fn action_ids_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_id(a.id()), Some(a));
        }
    }

    #[test]
    fn templates_are_checked() {
        use Stage::*;
        let good = [
            (Registration, 0),
            (Cashier, 0),
            (ChiefCheck, 2),
            (Decision, 3),
            (Returned, 0),
            (Delivered, 0),
        ];
        assert_eq!(check_template(&good, 5_000, 5), Ok(()));
        assert_eq!(
            check_template(&good, 5_000, 6),
            Err(("time_standard_days", "err_steps_sum"))
        );
        let mut swapped = good;
        swapped.swap(2, 3);
        assert_eq!(
            check_template(&swapped, 5_000, 5),
            Err(("steps", "err_steps_order"))
        );
        let no_cashier: Vec<_> = good
            .iter()
            .copied()
            .filter(|(s, _)| *s != Cashier)
            .collect();
        assert_eq!(
            check_template(&no_cashier, 5_000, 5),
            Err(("steps", "err_steps_cashier_for_fee"))
        );
        assert_eq!(check_template(&no_cashier, 0, 5), Ok(()));
        let no_decision: Vec<_> = good
            .iter()
            .copied()
            .filter(|(s, _)| *s != Decision)
            .collect();
        assert_eq!(
            check_template(&no_decision, 5_000, 2),
            Err(("steps", "err_steps_mandatory"))
        );
    }
}
