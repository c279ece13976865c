use leptos::prelude::*;

use super::form_feedback::error_message;
use crate::{error::AppError, i18n::use_texts, types::SessionUser};

/// Who is signed in, as the layout asked the server at this navigation; pages read it to say
/// who a refusal is for instead of asking again.
#[derive(Clone, Copy)]
pub struct SignedIn(pub Resource<Result<Option<SessionUser>, AppError>>);

/// What a page shows instead of its content when the server refused or failed. A refusal says
/// what to do next: sign in when nobody is, or, for someone signed in whose role this page is not
/// for, who they are and the way back to their own work, never a sign-in link they do not need.
#[component]
pub fn PageError(err: AppError) -> impl IntoView {
    let t = use_texts();
    let signed_in = use_context::<SignedIn>();
    let refused = matches!(err, AppError::Forbidden | AppError::Unauthorized);
    let err = StoredValue::new(err);
    let sign_in =
        move || view! { <a href="/login" data-testid="sign-in-link">{move || t().login_title}</a> };
    view! {
        <div class="error page-error" role="alert" data-testid="page-error">
            <p>{move || err.with_value(|e| error_message(t(), e))}</p>
            {refused.then(|| match signed_in {
                None => sign_in().into_any(),
                Some(SignedIn(user)) => view! {
                    <Suspense>
                        {move || user.get().map(|u| match u {
                            Ok(Some(u)) => {
                                let role_key = format!("role_{}", u.role.id());
                                view! {
                                    <p data-testid="denied-who">
                                        {move || t().denied_signed_in_as}" "<strong>{u.username.clone()}</strong>
                                        " ("{move || t().get(&role_key).unwrap_or_default()}"). "
                                        {move || t().denied_not_for_role}
                                    </p>
                                    <p><a href=u.role.home() class="button" data-testid="home-link">{move || t().denied_go_home}</a></p>
                                }.into_any()
                            }
                            _ => sign_in().into_any(),
                        })}
                    </Suspense>
                }.into_any(),
            })}
        </div>
    }
}
