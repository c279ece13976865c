use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use super::AdminNav;
use crate::{
    api::{
        admin::{list_staff, CreateStaff, ResetStaffPassword, SetStaffActive},
        catalogue::list_catalogue,
    },
    components::form_feedback::{action_error, use_form_values, FieldMessage, FormNotice},
    components::page_error::PageError,
    i18n::{fill, use_locale, use_texts},
    types::admin::{StaffAccount, StaffPage},
};

/// Staff accounts: a system administrator manages everyone, an office administrator the staff
/// of their office.
#[component]
pub fn UsersPage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let param = move |k: &'static str| query.with(|q| q.get(k)).filter(|v| !v.is_empty());
    let create = ServerAction::<CreateStaff>::new();
    let toggle = ServerAction::<SetStaffActive>::new();
    let reset = ServerAction::<ResetStaffPassword>::new();
    let staff = Resource::new(
        move || {
            (
                param("office"),
                param("q"),
                create.version().get() + toggle.version().get() + reset.version().get(),
            )
        },
        |(office, q, _)| list_staff(office, q),
    );
    view! {
        <Title text=move || t().admin_users />
        <h1>{move || t().admin_users}</h1>
        {move || param("created").map(|name| view! {
            <p class="notice" role="status" data-testid="notice">{move || fill(t().admin_user_created, &[("name", &name)])}</p>
        })}
        {move || param("updated").map(|_| view! { <p class="notice" role="status" data-testid="notice">{move || t().admin_saved}</p> })}
        <FormNotice error=action_error(toggle) />
        {move || match reset.value().get() {
            Some(Err(crate::error::AppError::Validation(fields))) => fields.first().map(|f| {
                let key = f.key.clone();
                view! { <p class="error" role="alert" data-testid="reset-error">{move || t().admin_reset_password}": "{move || t().get(&key).unwrap_or(t().err_validation)}</p> }
            }),
            _ => None,
        }}
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || staff.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(page) => view! { <StaffView page create toggle reset /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn StaffView(
    page: StaffPage,
    create: ServerAction<CreateStaff>,
    toggle: ServerAction<SetStaffActive>,
    reset: ServerAction<ResetStaffPassword>,
) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let system_admin = page.own_office.is_none();
    view! {
        <AdminNav system_admin />
        <Form method="GET" action="" attr:class="search">
            <input type="search" name="q" value=move || query.with(|q| q.get("q")) aria-label=move || t().admin_user_search placeholder=move || t().admin_user_search />
            {system_admin.then(|| view! {
                <input name="office" inputmode="numeric" maxlength="4" size="5" value=move || query.with(|q| q.get("office")) aria-label=move || t().admin_office_code placeholder=move || t().admin_office_code />
            })}
            <button type="submit">{move || t().search}</button>
        </Form>
        <table class="table" data-testid="staff-table">
            <thead><tr>
                <th>{move || t().login_username}</th>
                <th>{move || t().admin_role}</th>
                <th>{move || t().admin_scope}</th>
                <th>{move || t().admin_status}</th>
                <th>{move || t().case_actions}</th>
            </tr></thead>
            <tbody>
                {page.accounts.into_iter().map(|a| view! { <StaffRow account=a toggle reset /> }).collect_view()}
            </tbody>
        </table>
        <NewStaffForm own_office=page.own_office roles=page.assignable_roles create />
    }
}

#[component]
fn StaffRow(
    account: StaffAccount,
    toggle: ServerAction<SetStaffActive>,
    reset: ServerAction<ResetStaffPassword>,
) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let role_key = account
        .role
        .map(|r| format!("role_{}", r.id()))
        .unwrap_or_default();
    let scope = account
        .office_code
        .clone()
        .or(account.province_code.clone())
        .unwrap_or_else(|| "—".into());
    let sectors = (!account.sectors.is_empty()).then(|| {
        account
            .sectors
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    });
    let (active, locked, id) = (account.active, account.locked, account.id);
    let (row_id, toggle_id) = (
        format!("staff-{}", account.username),
        format!("toggle-{}", account.username),
    );
    let reset_for_me = move || query.with(|q| q.get("for_user")) == Some(id.to_string());
    view! {
        <tr data-testid=row_id class:disabled=!active>
            <td><strong>{account.username.clone()}</strong><br /><small>{account.full_name.clone()}</small></td>
            <td>{move || t().get(&role_key).unwrap_or_default()}</td>
            <td>{scope}{sectors.map(|s| view! { <br /><small>{move || t().admin_sectors}": "{s.clone()}</small> })}</td>
            <td>
                {move || if active { t().admin_active } else { t().admin_disabled }}
                {locked.then(|| view! { <br /><span class="late">{move || t().admin_locked}</span> })}
            </td>
            <td>
                <ActionForm action=toggle attr:class="inline">
                    <input type="hidden" name="user_id" value=id />
                    <input type="hidden" name="active" value=(!active).to_string() />
                    <button type="submit" class:danger=active data-testid=toggle_id>
                        {move || if active { t().admin_disable } else { t().admin_enable }}
                    </button>
                </ActionForm>
                <details open=reset_for_me>
                    <summary>{move || t().admin_reset_password}</summary>
                    <ActionForm action=reset attr:class="stack">
                        <input type="hidden" name="user_id" value=id />
                        <label>{move || t().admin_new_password}
                            <input name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required />
                            {move || reset_for_me().then(|| view! { <FieldMessage field="password" error=action_error(reset) /> })}
                        </label>
                        <button type="submit">{move || t().admin_reset_password}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

#[component]
fn NewStaffForm(
    own_office: Option<String>,
    roles: Vec<crate::domain::Role>,
    create: ServerAction<CreateStaff>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let values = use_form_values();
    let kept = move |k: &'static str| values.or_default(k);
    let error = action_error(create);
    let sectors = Resource::new(|| (), |_| list_catalogue());
    let fixed_office = own_office.clone();
    view! {
        <section class="card">
            <h2>{move || t().admin_new_user}</h2>
            <FormNotice error />
            <ActionForm action=create attr:class="stack" attr:data-testid="new-user-form">
                <label>{move || t().login_username}
                    <input name="username" required maxlength="64" autocomplete="off" value=move || kept("username") />
                    <FieldMessage field="username" error />
                </label>
                <label>{move || t().admin_full_name}
                    <input name="full_name" required maxlength="200" value=move || kept("full_name") />
                    <FieldMessage field="full_name" error />
                </label>
                <label>{move || t().admin_role}
                    <select name="role" required>
                        {roles.into_iter().map(|r| {
                            let key = format!("role_{}", r.id());
                            let selected = move || kept("role") == r.id();
                            view! { <option value=r.id() selected=selected>{move || t().get(&key).unwrap_or_default()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage field="role" error />
                </label>
                {match fixed_office {
                    Some(office) => view! {
                        <input type="hidden" name="office_code" value=office.clone() />
                        <p>{move || t().admin_office_code}": "<strong>{office.clone()}</strong></p>
                    }.into_any(),
                    None => view! {
                        <label>{move || t().admin_office_code}
                            <input name="office_code" inputmode="numeric" maxlength="4" value=move || kept("office_code") />
                            <small>{move || t().admin_office_hint}</small>
                            <FieldMessage field="office_code" error />
                        </label>
                        <label>{move || t().admin_province_code}
                            <input name="province_code" inputmode="numeric" maxlength="2" value=move || kept("province_code") />
                            <FieldMessage field="province_code" error />
                        </label>
                    }.into_any(),
                }}
                <fieldset>
                    <legend>{move || t().admin_sectors_hint}</legend>
                    <Suspense>
                        {move || sectors.get().and_then(Result::ok).map(|list| list.into_iter().map(|s| {
                            let name = (s.name_km.clone(), s.name_en.clone());
                            view! {
                                <label class="check">
                                    <input type="checkbox" name=format!("sectors[{}]", s.id) />
                                    {move || locale.get().pick(&name.0, &name.1).to_string()}
                                </label>
                            }
                        }).collect_view())}
                    </Suspense>
                    <FieldMessage field="sectors" error />
                </fieldset>
                <label>{move || t().admin_new_password}
                    <input name="password" type="password" autocomplete="new-password" minlength="8" maxlength="128" required />
                    <small>{move || t().admin_password_rules}</small>
                    <FieldMessage field="password" error />
                </label>
                <button type="submit" class="primary" data-testid="create-user">{move || t().admin_create_user}</button>
            </ActionForm>
        </section>
    }
}
