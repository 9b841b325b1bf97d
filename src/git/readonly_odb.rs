//! An object database that cannot change the repository, for libgit2.
//!
//! conflictguard's in-memory merge and the trees it builds are written through libgit2, which asks
//! every backend to "freshen" an object that already exists before writing it: the loose and pack
//! backends answer by touching the object's file (its modification time), so that `git gc` keeps
//! it. A mempack backend in front does not prevent this, since libgit2 asks every backend. Reading
//! a repository must not change a single byte or time stamp of it, so the repository's objects are
//! served here by a backend that only reads (it answers `exists` instead of `freshen`, and cannot
//! write), behind an in-memory mempack backend that takes every write.
//!
//! The reading backend delegates to a second object database opened on the same `objects`
//! folder, with its alternates; libgit2 keeps and caches objects as usual.
//!
//! In a partial clone, an object the clone left out is fetched through git when it is read (see
//! `promisor`): git then writes a promisor pack, as its own lazy fetch does for `git show`. That
//! is git writing, not this backend, and it never happens in a clone without promisor remotes.

use std::ffi::{c_int, c_void, CString};
use std::ptr;

use git2::{Binding, Oid, Repository};
use libgit2_sys as raw;

use super::promisor::Promisor;

extern "C" {
    // Exported by libgit2 (include/git2/odb.h) but not declared by libgit2-sys.
    fn git_odb_read_prefix(
        out: *mut *mut raw::git_odb_object,
        db: *mut raw::git_odb,
        short_id: *const raw::git_oid,
        len: libc_size_t,
    ) -> c_int;
}

#[allow(non_camel_case_types)]
type libc_size_t = usize;

/// The backend: libgit2's backend structure first, so that libgit2's pointer to it is a pointer
/// to this.
#[repr(C)]
struct ReadOnly {
    parent: raw::git_odb_backend,
    inner: *mut raw::git_odb,
    /// Where a missing object can be fetched from, in a partial clone.
    promisor: Option<Promisor>,
}

/// Replaces the object database of `repo` with mempack (for writes) in front of a read-only view
/// of its own objects and of the object folders in `more_objects` (a push's quarantine, which git
/// names in the environment of a pre-receive hook). Objects written during the run stay in memory;
/// no file of the repository or of those folders is created, changed or touched.
pub fn install(repo: &Repository, more_objects: &[std::path::PathBuf]) -> Result<(), git2::Error> {
    let c_path = |path: &std::path::Path| {
        CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| git2::Error::from_str("an objects folder's path holds a NUL byte"))
    };
    let objects = c_path(&repo.commondir().join("objects"))?;
    let more_objects = more_objects
        .iter()
        .map(|path| c_path(path))
        .collect::<Result<Vec<_>, _>>()?;
    // SAFETY: each libgit2 call gets valid pointers; on every error path what was created is freed
    // exactly once (an object database added to another is owned by it from then on).
    unsafe {
        let mut inner = ptr::null_mut();
        check(raw::git_odb_open(&mut inner, objects.as_ptr()))?;
        // As alternates of the inner database, which is only ever read: libgit2 skips a folder it
        // has already (the repository's own, which git lists among the quarantine's alternates).
        for folder in &more_objects {
            if let Err(err) = check(raw::git_odb_add_disk_alternate(inner, folder.as_ptr())) {
                raw::git_odb_free(inner);
                return Err(err);
            }
        }

        let mut backend = Box::new(ReadOnly {
            parent: std::mem::zeroed(),
            inner,
            promisor: Promisor::of(repo),
        });
        if let Err(err) = check(raw::git_odb_init_backend(
            &mut backend.parent,
            raw::GIT_ODB_BACKEND_VERSION,
        )) {
            raw::git_odb_free(inner);
            return Err(err);
        }
        backend.parent.read = Some(read);
        backend.parent.read_prefix = Some(read_prefix);
        backend.parent.read_header = Some(read_header);
        backend.parent.exists = Some(exists);
        backend.parent.exists_prefix = Some(exists_prefix);
        backend.parent.refresh = Some(refresh);
        backend.parent.free = Some(free);
        let backend = Box::into_raw(backend);

        let mut outer = ptr::null_mut();
        if let Err(err) = check(raw::git_odb_new(&mut outer)) {
            free(backend.cast());
            return Err(err);
        }
        if let Err(err) = check(raw::git_odb_add_backend(outer, backend.cast(), 1)) {
            free(backend.cast());
            raw::git_odb_free(outer);
            return Err(err);
        }
        let mut mempack = ptr::null_mut();
        let added = check(raw::git_mempack_new(&mut mempack))
            .and_then(|()| check(raw::git_odb_add_backend(outer, mempack, 1000)));
        if let Err(err) = added {
            raw::git_odb_free(outer);
            return Err(err);
        }
        let set = check(raw::git_repository_set_odb(repo.raw(), outer));
        // The repository holds its own reference now (or none, on error).
        raw::git_odb_free(outer);
        set
    }
}

fn check(code: c_int) -> Result<(), git2::Error> {
    if code < 0 {
        Err(git2::Error::last_error(code))
    } else {
        Ok(())
    }
}

/// The inner object database of a backend pointer libgit2 hands back.
///
/// SAFETY: `backend` is a `ReadOnly` made by `install` and not yet freed.
unsafe fn inner(backend: *mut raw::git_odb_backend) -> *mut raw::git_odb {
    (*backend.cast::<ReadOnly>()).inner
}

/// Copies an object read from the inner database into a buffer libgit2 owns (and frees).
///
/// SAFETY: `object` is a valid object; the out-pointers are valid for writes.
unsafe fn hand_over(
    backend: *mut raw::git_odb_backend,
    object: *mut raw::git_odb_object,
    data_out: *mut *mut c_void,
    len_out: *mut usize,
    type_out: *mut raw::git_object_t,
) -> c_int {
    let size = raw::git_odb_object_size(object);
    let Some(alloc) = size.checked_add(1) else {
        raw::git_odb_object_free(object);
        return -1;
    };
    let buffer = raw::git_odb_backend_data_alloc(backend, alloc).cast::<u8>();
    if buffer.is_null() {
        raw::git_odb_object_free(object);
        return -1;
    }
    ptr::copy_nonoverlapping(raw::git_odb_object_data(object).cast::<u8>(), buffer, size);
    *buffer.add(size) = 0;
    *data_out = buffer.cast();
    *len_out = size;
    *type_out = raw::git_odb_object_type(object);
    raw::git_odb_object_free(object);
    0
}

extern "C" fn read(
    data_out: *mut *mut c_void,
    len_out: *mut usize,
    type_out: *mut raw::git_object_t,
    backend: *mut raw::git_odb_backend,
    oid: *const raw::git_oid,
) -> c_int {
    // SAFETY: libgit2 passes our backend and valid pointers.
    unsafe {
        let mut object = ptr::null_mut();
        let mut code = raw::git_odb_read(&mut object, inner(backend), oid);
        if code == raw::GIT_ENOTFOUND {
            code = match fetch_from_promisor(backend, oid) {
                Some(Ok(())) => raw::git_odb_read(&mut object, inner(backend), oid),
                Some(Err(message)) => {
                    // Not "not found": libgit2 would replace the message with its own, and the
                    // reader is owed the reason and the fix.
                    if let Ok(message) = CString::new(message) {
                        raw::git_error_set_str(raw::GIT_ERROR_ODB as c_int, message.as_ptr());
                    }
                    return raw::GIT_ERROR;
                }
                None => code,
            };
        }
        if code < 0 {
            return code;
        }
        hand_over(backend, object, data_out, len_out, type_out)
    }
}

/// In a partial clone, fetches a missing object through git (one object: the reads that know
/// their blobs in advance fetch them in one batch before, see `promisor::fetch_missing`). `None`
/// outside a partial clone; the error is the message a reader sees.
///
/// SAFETY: `backend` is a `ReadOnly` made by `install` and not yet freed; `oid` is valid.
unsafe fn fetch_from_promisor(
    backend: *mut raw::git_odb_backend,
    oid: *const raw::git_oid,
) -> Option<Result<(), String>> {
    let promisor = (*backend.cast::<ReadOnly>()).promisor.as_ref()?;
    let inner = inner(backend);
    let id = Oid::from_raw(oid);
    let mut still_missing = |ids: &[Oid]| -> Vec<Oid> {
        raw::git_odb_refresh(inner);
        ids.iter()
            .copied()
            .filter(|id| raw::git_odb_exists(inner, id.raw()) == 0)
            .collect()
    };
    // No panic may cross into libgit2: one becomes an ordinary read error.
    let fetched = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        promisor.fetch(&[id], &mut still_missing)
    }));
    Some(match fetched {
        Ok(Ok(())) => Ok(()),
        Ok(Err(failure)) => Err(format!(
            "object {id} is not in this partial clone, and {failure}; check out every blob \
             (remove `filter: blob:none` from actions/checkout, or run \
             `git fetch --refetch --no-filter {}` first)",
            failure.remote
        )),
        Err(_) => Err(format!(
            "object {id} could not be fetched into this partial clone"
        )),
    })
}

extern "C" fn read_prefix(
    oid_out: *mut raw::git_oid,
    data_out: *mut *mut c_void,
    len_out: *mut usize,
    type_out: *mut raw::git_object_t,
    backend: *mut raw::git_odb_backend,
    short_oid: *const raw::git_oid,
    len: usize,
) -> c_int {
    // SAFETY: libgit2 passes our backend and valid pointers.
    unsafe {
        let mut object = ptr::null_mut();
        let code = git_odb_read_prefix(&mut object, inner(backend), short_oid, len);
        if code < 0 {
            return code;
        }
        *oid_out = ptr::read(raw::git_odb_object_id(object));
        hand_over(backend, object, data_out, len_out, type_out)
    }
}

extern "C" fn read_header(
    len_out: *mut usize,
    type_out: *mut raw::git_object_t,
    backend: *mut raw::git_odb_backend,
    oid: *const raw::git_oid,
) -> c_int {
    // SAFETY: libgit2 passes our backend and valid pointers.
    unsafe { raw::git_odb_read_header(len_out, type_out, inner(backend), oid) }
}

extern "C" fn exists(backend: *mut raw::git_odb_backend, oid: *const raw::git_oid) -> c_int {
    // No refresh of the pack folder here: the outer database refreshes (through `refresh`) when
    // an object is not found, and every object conflictguard writes is new to the repository.
    // SAFETY: libgit2 passes our backend and a valid id.
    unsafe {
        raw::git_odb_exists_ext(
            inner(backend),
            oid,
            raw::GIT_ODB_LOOKUP_NO_REFRESH as std::ffi::c_uint,
        )
    }
}

extern "C" fn exists_prefix(
    oid_out: *mut raw::git_oid,
    backend: *mut raw::git_odb_backend,
    short_oid: *const raw::git_oid,
    len: usize,
) -> c_int {
    // SAFETY: libgit2 passes our backend and valid pointers.
    unsafe { raw::git_odb_exists_prefix(oid_out, inner(backend), short_oid, len) }
}

extern "C" fn refresh(backend: *mut raw::git_odb_backend) -> c_int {
    // SAFETY: libgit2 passes our backend.
    unsafe { raw::git_odb_refresh(inner(backend)) }
}

extern "C" fn free(backend: *mut raw::git_odb_backend) {
    // SAFETY: called once, by libgit2 when the database that owns the backend goes (or by
    // `install` on an error path before any database owns it).
    unsafe {
        let backend = Box::from_raw(backend.cast::<ReadOnly>());
        raw::git_odb_free(backend.inner);
    }
}
