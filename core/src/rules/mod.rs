//! Rules (à venir).
