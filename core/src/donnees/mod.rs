//! (à venir)
