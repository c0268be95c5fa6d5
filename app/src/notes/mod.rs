//! A customer's Notes tab: timestamped notes by staff, each signed with its writer's name.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;

use crate::ui::{
    date_time, error_of, field_errors_of, CursorEmpty, CursorPager, CursorPages, ErrorNotice, Field,
    FormNotice,
};
use api::{customer_notes, AddNote, DeleteNote, EditNote};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: i64,
    pub author_name: String,
    /// The caller wrote it, so may edit and delete it.
    pub mine: bool,
    pub body: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A page of a customer's notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotesPage {
    /// Newest first.
    pub notes: Vec<Note>,
    /// The last note's id when older notes follow.
    pub older: Option<i64>,
}

#[component]
pub fn NotesPanel(customer_id: i64) -> impl IntoView {
    let add = ServerAction::<AddNote>::new();
    let edit = ServerAction::<EditNote>::new();
    let delete = ServerAction::<DeleteNote>::new();
    let changes = [
        crate::ui::successes(Signal::from(add.value())),
        crate::ui::successes(Signal::from(edit.value())),
        crate::ui::successes(Signal::from(delete.value())),
    ];
    // A page of notes at a time: a long-served account has hundreds.
    let pages = CursorPages::new();
    let notes = Resource::new(
        move || (changes.map(|c| c.get()), pages.after()),
        move |(_, before)| customer_notes(customer_id, before),
    );
    let added = Signal::from(add.value());
    // The note being edited, by id.
    let editing = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            editing.set(None);
        }
    });
    // What is typed in "New note", emptied once it is added.
    let draft = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            draft.set(String::new());
        }
    });
    view! {
        <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            <ActionForm action=add attr:class="card" attr:aria-label="Add a note">
                <input type="hidden" name="customer_id" value=customer_id/>
                <FormNotice error=Signal::derive(move || error_of(added).get().filter(|e| e.field_errors().is_none()))/>
                <Field label="New note" field="body" multiline=true required=true errors=field_errors_of(added)
                    value=draft on_input=Callback::new(move |text| draft.set(text))/>
                <button type="submit" class="primary" disabled=move || add.pending().get()>"Add note"</button>
            </ActionForm>
            {move || edit.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            {move || delete.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match notes.await {
                        Ok(page) if page.notes.is_empty() => view! {
                            <CursorEmpty pages none="No notes yet." no_more="No older notes." label="Pages of notes"/>
                        }.into_any(),
                        Ok(page) => view! {
                            <ul class="note-list">
                                {page.notes.into_iter().map(|note| view! { <NoteItem note editing edit delete/> }).collect_view()}
                            </ul>
                            <CursorPager pages next=page.older label="Pages of notes"/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NoteItem(
    note: Note,
    editing: RwSignal<Option<i64>>,
    edit: ServerAction<EditNote>,
    delete: ServerAction<DeleteNote>,
) -> impl IntoView {
    let id = note.id;
    let edited =
        (note.updated_at != note.created_at).then(|| format!(" · edited {}", date_time(note.updated_at)));
    let heading = format!(
        "{} · {}{}",
        note.author_name,
        date_time(note.created_at),
        edited.unwrap_or_default()
    );
    let shown_heading = heading.clone();
    let body = note.body.clone();
    let draft = note.body.clone();
    let version = note.version;
    let editor_id = format!("note-{id}-body");
    let label_for = editor_id.clone();
    let (edit_label, delete_label) = (
        format!("Edit the note of {heading}"),
        format!("Delete the note of {heading}"),
    );
    view! {
        <li>
            <p class="muted">{shown_heading}</p>
            {move || if editing.get() == Some(id) {
                let (editor_id, label_for, draft) = (editor_id.clone(), label_for.clone(), draft.clone());
                view! {
                    <ActionForm action=edit attr:aria-label="Edit note">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="version" value=version/>
                        <label for=label_for class="sr-only">"Note"</label>
                        <textarea id=editor_id name="body" rows="4">{draft}</textarea>
                        <button type="submit" disabled=move || edit.pending().get()>"Save note"</button>
                        <button type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="note-body">{body.clone()}</p> }.into_any()
            }}
            {note.mine.then(|| view! {
                <button type="button" aria-label=edit_label on:click=move |_| editing.set(Some(id))>"Edit"</button>
                " "
                <button type="button" class="danger" aria-label=delete_label on:click=move |_| { delete.dispatch(DeleteNote { id }); }>"Delete"</button>
            })}
        </li>
    }
}
