use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::AdminNav;
use crate::{
    api::notices::{get_notice_templates, SaveNoticeTemplate},
    components::{
        form_feedback::{use_form_values, FieldMessage, FormNotice, FormValues},
        page_error::PageError,
    },
    domain::notice::{self, NoticeChannel, NoticeEvent, SmsCount, MAX_TEMPLATE_CHARS},
    format::format_number,
    i18n::{fill, use_locale, use_texts},
    types::notices::NoticeTemplateView,
};

/// The templates of the messages citizens get, one card per event, in Khmer and English, with a
/// preview of each as an SMS with sample values and what it costs in parts. The system
/// administrator edits them; both texts left empty put the default back.
#[component]
pub fn NoticeTemplatesPage() -> impl IntoView {
    let t = use_texts();
    let values = use_form_values();
    let save = ServerAction::<SaveNoticeTemplate>::new();
    // Which event the last save with JavaScript was for: the action forgets its input once it
    // answers, and its messages belong beside that event's fields only.
    let last = RwSignal::new(None::<NoticeEvent>);
    Effect::new(move |_| {
        if let Some(input) = save.input().get() {
            last.set(NoticeEvent::from_id(&input.event));
        }
    });
    // Read again after a save that worked only, so a refused one leaves what was typed in place.
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            saved.update(|n| *n += 1);
        }
    });
    let templates = Resource::new(move || saved.get(), |_| get_notice_templates());
    view! {
        <Title text=move || t().notice_admin_title />
        <h1>{move || t().notice_admin_title}</h1>
        <Suspense fallback=move || view! { <p>{move || t().loading}</p> }>
            {move || templates.get().map(|result| match result {
                Err(err) => view! { <PageError err /> }.into_any(),
                Ok(list) => view! {
                    <AdminNav system_admin=true />
                    <p class="muted">{move || t().notice_admin_intro}</p>
                    <p><a href="/staff/notices" data-testid="office-notices-link">{move || t().notice_admin_office_link}</a></p>
                    {list.into_iter().map(|tpl| view! { <TemplateCard tpl save last values /> }).collect_view()}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn TemplateCard(
    tpl: NoticeTemplateView,
    save: ServerAction<SaveNoticeTemplate>,
    last: RwSignal<Option<NoticeEvent>>,
    values: FormValues,
) -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let event = tpl.event;
    let id = event.id();
    // The card a message belongs to: the last saved with JavaScript, else the one a plain post
    // came back to (`event=<id>` in the address).
    let for_me = move || query.with(|q| q.get("event")).as_deref() == Some(id);
    let mine = move || match last.get() {
        Some(e) => e == event,
        None => for_me(),
    };
    let error = Signal::derive(move || {
        if mine() {
            save.value().get().and_then(Result::err)
        } else {
            None
        }
    });
    let saved_here = move || {
        query.with(|q| q.get("saved")).as_deref() == Some(id)
            && last.get().is_none_or(|e| e == event)
    };
    // A refused plain post comes back with what was typed; otherwise the text in force.
    let typed = |field: &str| for_me().then(|| values.get(field)).flatten();
    let km = RwSignal::new(typed("body_km").unwrap_or(tpl.body_km.clone()));
    let en = RwSignal::new(typed("body_en").unwrap_or(tpl.body_en.clone()));
    let sample = StoredValue::new(tpl.sample.clone());
    let name_key = event.text_key();
    let placeholders = tpl.placeholders.clone();
    let edited = tpl.edited;
    let max = MAX_TEMPLATE_CHARS.to_string();
    view! {
        <section class="card" id=format!("notice-{id}") data-testid=format!("notice-template-{id}") data-edited=edited.to_string()>
            <h2>
                {move || t().get(&name_key).unwrap_or_default()}
                {edited.then(|| view! { " " <strong class="ok" data-testid=format!("edited-{id}")>"("{move || t().notice_admin_edited}")"</strong> })}
            </h2>
            <p class="muted" data-testid=format!("placeholders-{id}")>
                {move || t().notice_admin_placeholders}": "
                {if placeholders.is_empty() {
                    view! { <span>{move || t().notice_admin_no_placeholders}</span> }.into_any()
                } else {
                    placeholders.iter().map(|p| view! { <code>{format!("{{{p}}}")}</code>" " }).collect_view().into_any()
                }}
            </p>
            {move || saved_here().then(|| view! { <p class="notice" role="status" data-testid=format!("saved-{id}")>{move || t().admin_saved}</p> })}
            {move || mine().then(|| view! { <FormNotice error /> })}
            <ActionForm action=save attr:class="stack" attr:data-testid=format!("template-form-{id}")>
                <input type="hidden" name="event" value=id />
                <label>{move || t().notice_admin_body_km}
                    <textarea name="body_km" lang="km" rows="4" required maxlength=max.clone()
                        data-testid=format!("body-km-{id}")
                        // A save or reset redraws the card in place: the value, not only the
                        // text inside the element, must follow, or a typed value stays on screen.
                        prop:value=move || km.get()
                        on:input=move |ev| km.set(event_target_value(&ev))>{km.get_untracked()}</textarea>
                    {move || mine().then(|| view! { <FieldMessage field="body_km" error /> })}
                </label>
                <Preview event lang="km" text=km sample />
                <label>{move || t().notice_admin_body_en}
                    <textarea name="body_en" lang="en" rows="4" required maxlength=max.clone()
                        data-testid=format!("body-en-{id}")
                        // A save or reset redraws the card in place: the value, not only the
                        // text inside the element, must follow, or a typed value stays on screen.
                        prop:value=move || en.get()
                        on:input=move |ev| en.set(event_target_value(&ev))>{en.get_untracked()}</textarea>
                    {move || mine().then(|| view! { <FieldMessage field="body_en" error /> })}
                </label>
                <Preview event lang="en" text=en sample />
                <button type="submit" class="primary" data-testid=format!("save-template-{id}")>{move || t().admin_save}</button>
            </ActionForm>
            {edited.then(|| view! {
                // Both texts empty put the default back.
                <ActionForm action=save attr:class="inline">
                    <input type="hidden" name="event" value=id />
                    <input type="hidden" name="body_km" value="" />
                    <input type="hidden" name="body_en" value="" />
                    <button type="submit" data-testid=format!("reset-template-{id}")>{move || t().notice_admin_reset}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The text as an SMS would carry it, with the sample values, and what it costs: it follows
/// typing once the page has hydrated, and shows the saved text without JavaScript.
#[component]
fn Preview(
    event: NoticeEvent,
    lang: &'static str,
    text: RwSignal<String>,
    sample: StoredValue<Vec<(String, String)>>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = event.id();
    let rendered = Memo::new(move |_| {
        let text = text.get();
        sample.with_value(|values| {
            let values: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            notice::render(event, &text, &values, NoticeChannel::Sms)
        })
    });
    let count = Memo::new(move |_| rendered.with(|r| notice::sms_segments(r)));
    let over = move || count.get().segments > event.max_segments();
    let label = move || {
        let c = count.get();
        let l = locale.get();
        let number = |n: usize| format_number(n as i64, l);
        let encoding = if c.unicode {
            t().notice_admin_unicode
        } else {
            t().notice_admin_gsm
        };
        fill(
            t().notice_admin_count,
            &[
                ("segments", &number(c.segments)),
                ("units", &number(c.units)),
                ("capacity", &number(capacity(c))),
                ("encoding", encoding),
            ],
        )
    };
    let too_many = move || {
        over().then(|| {
            let max = format_number(event.max_segments() as i64, locale.get());
            format!(" · {}", fill(t().notice_admin_over, &[("max", &max)]))
        })
    };
    view! {
        <div class="preview">
            <p class="muted">{move || t().notice_admin_preview}</p>
            <blockquote lang=lang data-testid=format!("preview-{lang}-{id}")>{move || rendered.get()}</blockquote>
            <p data-testid=format!("segments-{lang}-{id}")
                data-segments=move || count.get().segments.to_string()
                data-units=move || count.get().units.to_string()
                data-over=move || over().to_string()
                class:late=over
                class:ok=move || !over()>
                {label}{too_many}
            </p>
        </div>
    }
}

/// The characters the message's parts hold: one part holds 70 UTF-16 units (160 GSM septets);
/// a longer message 67 (153) a part, as `notice::sms_segments` counts them.
fn capacity(count: SmsCount) -> usize {
    let (single, part) = if count.unicode { (70, 67) } else { (160, 153) };
    if count.segments <= 1 {
        single
    } else {
        count.segments * part
    }
}
