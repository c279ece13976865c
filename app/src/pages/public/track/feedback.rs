use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::track::SendFeedback,
    format::format_number,
    i18n::{use_locale, use_texts},
};

/// The 1–5 rating of a delivered case. The server knows the case is the citizen's from the grant
/// of the lookup that opened the page, so the PIN is not asked again.
#[component]
pub fn FeedbackForm(code: String) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let send = ServerAction::<SendFeedback>::new();
    view! {
        <section class="card">
            <h2>{move || t().feedback_title}</h2>
            <p>{move || t().feedback_lede}</p>
            <ActionForm action=send attr:class="stack" attr:data-testid="feedback-form">
                <input type="hidden" name="code" value=code />
                <fieldset class="rating">
                    <legend>{move || t().feedback_rating}</legend>
                    {(1..=5).map(|n| view! {
                        <label class="check">
                            <input type="radio" name="rating" value=n.to_string() required />
                            {move || format_number(n, locale.get())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label>{move || t().feedback_comment}
                    <textarea name="comment" maxlength="1000" rows="3"></textarea>
                </label>
                <button type="submit" class="primary" data-testid="feedback-submit">{move || t().feedback_submit}</button>
            </ActionForm>
        </section>
    }
}
