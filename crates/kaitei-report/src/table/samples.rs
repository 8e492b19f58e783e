//! The small sample pair the table writers' tests share.

/// The old edition of the small sample the table writers' tests share.
pub(crate) const OLD: &str = "---
kind: guideline
title: テスト用ガイドライン
edition: 令和6年10月版
---

# 第1章 総則 {#c1}

(1) 変わらない規定その1。 {#c1-1}

(2) 変わらない規定その2。 {#c1-2}

# 第2章 物理的セキュリティ {#c2}

(1) サーバは、施錠された部屋に設置しなければならない。 {#c2-1}

> 施錠の方法は、各団体が定める。

(2) 廃止される規定である。 {#c2-2}

(3) 情報資産 & 記録媒体は、適切に管理しなければならない。 {#c2-3}
";

/// The new edition: (1) edited, (2) deleted, (3) renumbered to (2), a
/// new (3) with markup in its text; chapter 1 unchanged (folds).
pub(crate) const NEW: &str = "---
kind: guideline
title: テスト用ガイドライン
edition: 令和7年3月版
---

# 第1章 総則 {#c1}

(1) 変わらない規定その1。 {#c1-1}

(2) 変わらない規定その2。 {#c1-2}

# 第2章 物理的セキュリティ {#c2}

(1) サーバは、入退室が管理された部屋に設置しなければならない。 {#c2-1}

> 施錠の方法は、各団体が定める。

(2) 情報資産 & 記録媒体は、適切に管理しなければならない。 {#c2-3}

(3) 新たに設ける規定 <script>alert(\"x\")</script> である。 {#c2-4}
";
