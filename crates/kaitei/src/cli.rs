//! The command line, as `CONTRACTS.md` describes it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kaitei (改定): Japan's model information-security guideline for local
/// governments and every body's own policy, as structured, versioned
/// documents linked clause by clause.
///
/// Documents are files in the authoring format (`.md`) or Word (`.docx`), or
/// documents stored in the database: a guideline edition by its name
/// (令和7年3月版), a body's policy as BODYCODE@EDITION, or BODYCODE for its
/// current one.
///
/// Exit codes: 0 done, 1 problems found (e.g. `check` found errors), 2 could
/// not run.
#[derive(Debug, Parser)]
#[command(name = "kaitei", version, max_term_width = 100)]
pub struct Cli {
    /// The database: sqlite://FILE (default sqlite://kaitei.db in the current directory) or
    /// postgres://USER:PASSWORD@HOST/DATABASE.
    #[arg(
        long,
        global = true,
        env = "KAITEI_DB",
        default_value = "sqlite://kaitei.db",
        value_name = "URL"
    )]
    pub db: String,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check documents for errors: front matter, labels, keys, attributes, conflicts.
    ///
    /// Prints each problem as FILE:LINE: error|warning: message (for .docx,
    /// the paragraph number). Exits 1 when any file has an error, 2 when a
    /// file cannot be read.
    Check(CheckArgs),
    /// Store guideline editions and body policies in the database.
    ///
    /// A folder imports every .md and .docx in it. A file with errors, or a
    /// duplicate (the same edition name, or the same body and edition), is
    /// refused with its reason and the others go on.
    Import(ImportArgs),
    /// Write a document back out as the authoring format or JSON.
    ///
    /// The JSON schema is documented in docs/export-json.md.
    Export(ExportArgs),
    /// List local governments (the registry of all 1,788 bodies).
    Bodies(BodiesArgs),
    /// Compare two documents: the comparison table (新旧対照表).
    ///
    /// OLD and NEW are files or stored documents. Nodes are aligned (moves,
    /// splits, merges and renumbering included), then changed text is
    /// underlined. Exits 0 whether or not there are differences; counts go
    /// to stderr. The JSON schema is in CONTRACTS.md.
    Diff(DiffArgs),
    /// Body policies: derive one, recover provenance, impact of a new edition, merge.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Run the web application on the database.
    Serve(ServeArgs),
    /// Run the web application on a fresh demo database (sample editions,
    /// policies and one account per role), whatever --db says.
    Demo(DemoArgs),
    /// Manage accounts (administrators).
    #[command(subcommand)]
    User(UserCommand),
    /// The yearly revision cycle: its topics and milestones (the ministry).
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// Drafts of the next edition (改定案), or of another document put out
    /// for opinion.
    #[command(subcommand)]
    Draft(DraftCommand),
    /// Consultations (意見照会) of local governments and vendors.
    ///
    /// Times are Japan time, written 2026-01-13T10:00 or "2026-01-13 10:00".
    /// A consultation of local governments stays open at least 14 days
    /// (336 hours); the vendors are consulted after the local governments.
    #[command(subcommand)]
    Consult(ConsultCommand),
    /// Copy the SQLite database consistently while it is in use, check the
    /// copy (PRAGMA integrity_check), and only then report success.
    ///
    /// An existing OUT is refused unless --force. A copy that fails the
    /// check is removed (exit 1). A PostgreSQL database is refused: back it
    /// up with pg_dump (docs/operations.md).
    Backup(BackupArgs),
    /// The audit trail: every state change (sign-ins, accounts, edits,
    /// imports, reviews, consultations), chained by SHA-256.
    ///
    /// `audit head` prints the chain's head as COUNT:HASH: export it
    /// regularly and keep it apart. `audit verify` checks the whole chain
    /// and prints its head; given --head it also checks that the chain
    /// still holds that head (nothing cut off the end, nothing rewritten).
    /// Exit codes: 0 intact, 1 broken (the first bad event's position is
    /// named), 2 cannot read.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Bring the database's schema up to date, printing from which version
    /// to which.
    ///
    /// Back the database up first. SQLite is also brought up to date by
    /// every command that opens it; on PostgreSQL this is the only upgrade:
    /// every other command refuses a schema that is behind (exit 2), so
    /// that servers sharing the database are never upgraded under each
    /// other. A schema newer than this binary is refused (exit 2).
    Migrate,
    /// The equipment disposal and data-erasure register (機器の廃棄・データ消去台帳):
    /// its template and its rule checks, on files alone.
    ///
    /// `disposal check` exits 1 when it finds anything, 0 when nothing, 2
    /// when the file is not a register.
    #[command(subcommand)]
    Disposal(crate::commands::disposal::DisposalCommand),
}

/// `kaitei audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Print the chain's head: COUNT:HASH.
    Head,
    /// Check the chain: exit 0 intact, 1 broken, 2 cannot read.
    Verify {
        /// A head exported earlier (COUNT:HASH) the chain must still hold.
        #[arg(long, value_name = "COUNT:HASH")]
        head: Option<String>,
    },
    /// Write the events as CSV (UTF-8, for Excel), oldest first.
    Export {
        /// Write to this file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only the events about this body (its 6-digit code).
        #[arg(long, value_name = "CODE")]
        body: Option<String>,
        /// Only the events by this actor: a login, or as recorded
        /// (user:LOGIN, os:NAME, anonymous).
        #[arg(long)]
        actor: Option<String>,
        /// From this day (2026-01-13), Japan time.
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Up to and including this day.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
}

/// `kaitei backup`
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write.
    pub out: PathBuf,
    /// Replace OUT if it exists (only once the new copy has passed its check).
    #[arg(long)]
    pub force: bool,
}

/// `kaitei cycle …`
#[derive(Debug, Subcommand)]
pub enum CycleCommand {
    /// Start the cycle of a fiscal year (2025, R7 or 令和7年度).
    Create {
        /// The fiscal year.
        year: String,
        /// Its title (default: 令和N年度 ガイドライン改定).
        #[arg(long)]
        title: Option<String>,
    },
    /// Add a topic under study (検討項目).
    Topic {
        /// The fiscal year.
        year: String,
        /// The topic's title.
        title: String,
        /// What it is about.
        #[arg(long, default_value = "")]
        description: String,
        /// A guideline clause it touches (its key); repeat for several.
        #[arg(long = "clause", value_name = "KEY")]
        clauses: Vec<String>,
    },
    /// Add a milestone: committee, draft, publication or other.
    Milestone {
        /// The fiscal year.
        year: String,
        /// What it is.
        #[arg(value_enum)]
        kind: MilestoneArg,
        /// Its title (第2回検討会).
        title: String,
        /// When (Japan time).
        #[arg(long, value_name = "TIME")]
        at: String,
    },
    /// Show a cycle: topics, milestones, drafts and consultations.
    Show {
        /// The fiscal year.
        year: String,
    },
}

/// Milestone kinds.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MilestoneArg {
    /// 検討会
    Committee,
    /// 改定案決定
    Draft,
    /// 公表
    Publication,
    /// その他
    Other,
}

/// `kaitei draft …`
#[derive(Debug, Subcommand)]
pub enum DraftCommand {
    /// Start a draft: from a stored edition (--from, default the latest) or
    /// a file in the authoring format or Word (--file).
    Create {
        /// The draft's name (ASCII: R8-draft).
        name: String,
        /// The cycle's fiscal year.
        #[arg(long)]
        year: String,
        /// The edition it revises.
        #[arg(long, value_name = "EDITION", conflicts_with = "file")]
        from: Option<String>,
        /// A file holding its text.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// List the drafts.
    List,
    /// Publish a draft as the next edition (keys kept). Refused while a
    /// consultation on it is open or a comment received has no
    /// disposition.
    Publish {
        /// The draft.
        name: String,
        /// The edition's name (令和8年12月版).
        #[arg(long)]
        edition: String,
        /// Its publication date: 2026-12-20 or 令和8年12月20日.
        #[arg(long)]
        published: String,
    },
}

/// `kaitei consult …`
#[derive(Debug, Subcommand)]
pub enum ConsultCommand {
    /// Open a consultation on a draft as it is now (its text is frozen).
    Create {
        /// The id (R7-1): used in URLs, file names and comment ids.
        id: String,
        /// The draft consulted on.
        #[arg(long)]
        draft: String,
        /// The title the respondents see.
        #[arg(long)]
        title: String,
        /// Who is asked: all, vendors, prefecture:CODE, or list:CODE,CODE,…
        #[arg(long, default_value = "all")]
        audience: String,
        /// Opening time.
        #[arg(long, value_name = "TIME")]
        opens: String,
        /// Closing time.
        #[arg(long, value_name = "TIME")]
        closes: String,
        /// Municipalities answer through their prefecture, which forwards
        /// by the closing time: give the prefectures' deadline.
        #[arg(long, value_name = "TIME")]
        through_prefectures: Option<String>,
    },
    /// Where every respondent stands: received, held by its prefecture,
    /// being prepared, nothing yet.
    Status {
        /// The consultation.
        id: String,
        /// Every respondent, not only the totals per prefecture.
        #[arg(long)]
        all: bool,
        /// `xlsx`: who has not answered yet, as a workbook for reminders
        /// (written to -o FILE).
        #[arg(long, default_value = "text", value_parser = ["text", "xlsx"])]
        format: String,
        /// Where the workbook goes.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// List the consultations.
    List,
    /// Write one answer template (.xlsx) per respondent asked, named by
    /// code and name, pre-filled with answers in preparation.
    ExportTemplates {
        /// The consultation.
        id: String,
        /// The folder to write them in (created if needed).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Store filled templates received by e-mail as their bodies'
    /// submitted answers (recorded as imported by you).
    ///
    /// All or nothing per file: a file with any bad row stores nothing and
    /// prints FILE:ROW: error: … per bad row. A folder imports every .xlsx
    /// in it. Exits 0 when every file was stored (or unchanged), 2 when any
    /// was refused.
    Import {
        /// Files or folders.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store them as answers in preparation instead of submitting them.
        #[arg(long)]
        draft: bool,
    },
    /// Group near-duplicate comments (offline: no database).
    ///
    /// Reads a JSON array of comments — objects with "text" (required) and
    /// optionally "id", "body", "clause" (a key or a label path) and any
    /// other fields — and writes the same array in the same order, each
    /// object with an integer "cluster" (from 1, in order of first
    /// appearance). Comments on different clauses are never in one cluster.
    Cluster {
        /// The JSON file.
        file: PathBuf,
        /// Where to write the result (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the response table (意見と対応): every cluster of comments
    /// received, in clause order, with who sent them, the disposition and
    /// its reason.
    Report {
        /// The consultation.
        id: String,
        /// xlsx, docx or html.
        #[arg(long, value_enum)]
        format: ReportFormat,
        /// Where it goes.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Respondents as 団体1, 団体2, … instead of their names.
        #[arg(long)]
        anonymise: bool,
    },
}

/// The response table's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Excel.
    Xlsx,
    /// Word.
    Docx,
    /// A web page.
    Html,
}

/// `kaitei serve` / `kaitei demo`
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub addr: std::net::SocketAddr,
    /// Mark cookies Secure (when served behind TLS).
    #[arg(long)]
    pub secure_cookies: bool,
}

/// `kaitei demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Add a generated policy for every other local government (mixed
    /// editions, some public, a few not registered): the national pages
    /// as they look in production.
    #[arg(long)]
    pub national: bool,
}

/// `kaitei user …`. Passwords are read from KAITEI_PASSWORD, else from the
/// first line of standard input.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account.
    Add {
        /// The login name.
        login: String,
        /// The role.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// For prefecture and body officers: their body's code.
        #[arg(long, value_name = "CODE")]
        body: Option<String>,
        /// For prefecture and body officers: the right to submit their
        /// body's answers to consultations.
        #[arg(long)]
        can_submit: bool,
        /// For vendors: the organisation they answer for.
        #[arg(long, value_name = "NAME")]
        organisation: Option<String>,
    },
    /// Give a body or prefecture officer the right to submit their body's
    /// answers (ends their sessions); --revoke takes it away.
    CanSubmit {
        /// The login name.
        login: String,
        /// Take the right away instead.
        #[arg(long)]
        revoke: bool,
    },
    /// List the accounts.
    List,
    /// Set an account's password (ends its sessions).
    Passwd {
        /// The login name.
        login: String,
    },
    /// Disable an account (ends its sessions); --enable undoes it.
    Disable {
        /// The login name.
        login: String,
        /// Enable instead.
        #[arg(long)]
        enable: bool,
    },
}

/// Roles.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Ministry administrator.
    Admin,
    /// Expert committee member.
    Committee,
    /// Prefecture officer (--body: the prefecture's code).
    Prefecture,
    /// Body officer (--body: the body's code).
    Body,
    /// Vendor.
    Vendor,
}

/// `kaitei policy …`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Derive a body's policy from a guideline edition, placeholders filled.
    ///
    /// `{{団体名}}` comes from the registry; every other placeholder needs a
    /// value from --set NAME=VALUE or --profile FILE (a YAML map). Each node
    /// records the guideline key it derives from (`from=`, `status=adopted`).
    Derive(DeriveArgs),
    /// Recover the provenance of an existing policy against a guideline edition.
    ///
    /// Writes the policy with `from=KEY status=adopted|modified|added` on each
    /// clause and the guideline clauses it leaves out as `omitted:`; the
    /// low-confidence pairs go to stderr for a person to confirm.
    Align(AlignArgs),
    /// The impact of a new guideline edition on a policy (or on every stored policy).
    Impact(ImpactArgs),
    /// Three-way merge: the policy, the edition it follows and the new one → a proposed policy.
    ///
    /// Conflicts are written inside the clauses (`<<<<<<<` … `>>>>>>>`);
    /// `kaitei check` reports each until resolved. Exits 0 and prints the
    /// number of conflicts.
    Merge(MergeArgs),
}

/// Values for placeholders.
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Placeholder values")]
pub struct ValueArgs {
    /// A placeholder's value, e.g. --set CISO職名=副町長 (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// A YAML file of placeholder values (`CISO職名: 副町長`).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
}

/// `kaitei policy derive`
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// The guideline edition: a file or a stored edition name.
    #[arg(value_name = "EDITION")]
    pub edition: String,
    /// The body's local-government code.
    #[arg(long, value_name = "CODE")]
    pub body: String,
    /// The new policy's edition name (default: the guideline edition's).
    #[arg(long = "policy-edition", value_name = "NAME")]
    pub policy_edition: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub values: ValueArgs,
}

/// `kaitei policy align`
#[derive(Debug, Args)]
pub struct AlignArgs {
    /// The policy: a file, BODYCODE@EDITION or BODYCODE.
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// The guideline edition to align it to.
    #[arg(long, value_name = "EDITION")]
    pub to: String,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub values: ValueArgs,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// Formats of `policy impact`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ImpactFormat {
    /// Text, one line per affected clause.
    Text,
    /// JSON.
    Json,
    /// Excel: one row per affected clause.
    Xlsx,
}

/// `kaitei policy impact`
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The policy (omit with --all).
    #[arg(
        value_name = "POLICY",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub policy: Option<String>,
    /// Every body's current stored policy, with a per-prefecture summary.
    #[arg(long)]
    pub all: bool,
    /// The edition the policy follows.
    #[arg(long, value_name = "OLD")]
    pub from: String,
    /// The new edition.
    #[arg(long, value_name = "NEW")]
    pub to: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ImpactFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub values: ValueArgs,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// `kaitei policy merge`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The policy.
    #[arg(value_name = "POLICY")]
    pub policy: String,
    /// The edition the policy follows (the merge base).
    #[arg(long, value_name = "OLD")]
    pub from: String,
    /// The new edition.
    #[arg(long, value_name = "NEW")]
    pub to: String,
    /// Write the proposed policy to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the body's own 新旧対照表 (current policy → proposal) as DOCX.
    #[arg(long, value_name = "FILE")]
    pub table: Option<PathBuf>,
    #[command(flatten)]
    pub values: ValueArgs,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// Word: the table ministries and local governments circulate.
    Docx,
    /// A self-contained web page that prints on A4 landscape.
    Html,
    /// Excel: one row per change.
    Xlsx,
    /// JSON for programs (schema in CONTRACTS.md).
    Json,
    /// Text, coloured on a terminal.
    Text,
}

impl From<DiffFormat> for kaitei_app::TableFormat {
    fn from(f: DiffFormat) -> kaitei_app::TableFormat {
        use kaitei_app::TableFormat as T;
        match f {
            DiffFormat::Docx => T::Docx,
            DiffFormat::Html => T::Html,
            DiffFormat::Xlsx => T::Xlsx,
            DiffFormat::Json => T::Json,
            DiffFormat::Text => T::Text,
        }
    }
}

/// Column order of the table.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColumnsArg {
    /// New on the left, old on the right (the usual 新旧対照表).
    NewOld,
    /// Old on the left, new on the right.
    OldNew,
}

/// `kaitei diff`
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old document: a file, an edition name, BODYCODE@EDITION or BODYCODE.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new document.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Column order of the DOCX and HTML tables and of the XLSX list's
    /// old/new pairs.
    #[arg(long, value_enum, default_value = "new-old")]
    pub columns: ColumnsArg,
    /// Unchanged rows to keep around each change; the rest fold to （略）.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub context: usize,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// What a .docx, or a text without front matter (a regulation pasted from
/// a 例規集 page), may not say (`CONTRACTS.md`,
/// `docs/importing-regulations.md`).
#[derive(Debug, Args, Default, Clone)]
#[command(next_help_heading = "Word (.docx) and pasted text (.txt) input")]
pub struct DocxArgs {
    /// Document kind when the file does not say (default: policy).
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Edition name when the file does not say (default: the regulation's
    /// last amendment or enactment, else the file name).
    #[arg(long)]
    pub edition: Option<String>,
    /// The body's code when the file does not say (default: the body the
    /// regulation's title names).
    #[arg(long, value_name = "CODE")]
    pub body: Option<String>,
    /// The guideline edition a policy follows, when the file does not say.
    #[arg(long, value_name = "EDITION")]
    pub derived_from: Option<String>,
}

/// `--kind` for Word input.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// A guideline edition.
    Guideline,
    /// A body's policy.
    Policy,
}

/// `kaitei check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check (.md, .docx, or .txt pasted from a 例規集 page).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// `kaitei import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders to import (.md, .docx, or .txt pasted from a 例規集
    /// page; a folder's .md and .docx files).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// The authoring format, with every node's key pinned.
    Md,
    /// JSON (schema kaitei-document/1).
    Json,
    /// OSCAL 1.1.2 JSON: an edition as a catalog; a body's policy as a
    /// profile importing its edition's catalog (and, when the body added
    /// clauses of its own, a second catalog of them written beside the
    /// profile, which needs -o). See docs/oscal.md.
    Oscal,
}

/// `kaitei export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The document: a file, an edition name, BODYCODE@EDITION or BODYCODE.
    #[arg(value_name = "EDITION")]
    pub document: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ExportFormat,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// OSCAL profile: where the edition's catalog is, as the profile's
    /// import names it [default: EDITION.catalog.json, the file name
    /// `kaitei export EDITION --format oscal -o EDITION.catalog.json` writes].
    #[arg(long, value_name = "HREF")]
    pub catalog_href: Option<String>,
    /// OSCAL profile: the guideline edition the policy follows (a file or
    /// a stored edition) [default: its `derived_from`, stored].
    #[arg(long, value_name = "EDITION")]
    pub guideline: Option<String>,
    #[command(flatten)]
    pub docx: DocxArgs,
}

/// Kinds of body.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BodyKindArg {
    /// 都道府県
    Prefecture,
    /// 市
    City,
    /// 町
    Town,
    /// 村
    Village,
    /// 特別区 (Tokyo's 23 wards)
    #[value(name = "special_ward", alias = "special-ward")]
    SpecialWard,
}

/// `kaitei bodies`
#[derive(Debug, Args)]
pub struct BodiesArgs {
    /// Only bodies in this prefecture: its code (130001), number (13) or name (東京都).
    #[arg(long, value_name = "CODE")]
    pub prefecture: Option<String>,
    /// Only bodies of these kinds (repeat or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub kind: Vec<BodyKindArg>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
