//! Replays one side's statements, in order, onto its model: what each
//! statement creates, changes, renames or drops. Statements that are not
//! schema (DML, SELECT, SET, GRANT, COMMENT, ownership) change nothing.
use pg_query::protobuf::{
    AlterEnumStmt, AlterObjectSchemaStmt, AlterPublicationAction, CreateEnumStmt,
    CreateExtensionStmt, CreateTrigStmt, DropBehavior, DropStmt, IndexElem, IndexStmt, Node,
    ObjectType, RangeVar, RenameStmt, RoleSpecType,
};
use pg_query::NodeEnum;
use serde::Serialize;

use crate::analysis::compact::Tree;

use crate::analysis::bodies::do_block_statements;
use crate::analysis::facts::{Action, ObjectKind, ObjectRef, StatementFacts, Strength};
use crate::analysis::implicit_names::index_name;
use crate::analysis::names::{
    first_schema, quote_literal, string_value, strings, Name, QualifiedName,
};
use crate::analysis::statements::{analyze, key_columns};
use crate::environment::is_builtin_schema;
use crate::plan::load::{Loaded, Unit};

use super::functions;
use super::model::{Catalog, ObjectId, Place, Property, Words};
use super::normal::{canonical, expression_sql, statement_sql, string_node, Context};
use super::tables;

/// What CREATE POLICY and ALTER POLICY both say, from either (their fields
/// share names, not a type).
macro_rules! policy_of {
    ($s:expr) => {
        Policy {
            name: &$s.policy_name,
            table: $s.table.as_ref(),
            roles: &$s.roles,
            using: $s.qual.as_deref(),
            with_check: $s.with_check.as_deref(),
        }
    };
}

/// One statement being replayed.
pub struct Replay<'a> {
    pub model: &'a mut Catalog,
    pub at: Place,
    pub search_path: &'a [String],
    /// The statement as written.
    pub statement: &'a str,
}

/// An index's element as far as it names a column.
fn column_only(param: &Node) -> Node {
    let name = match &param.node {
        Some(NodeEnum::IndexElem(element)) => element.name.clone(),
        _ => String::new(),
    };
    Node {
        node: Some(NodeEnum::IndexElem(Box::new(IndexElem {
            name,
            ..IndexElem::default()
        }))),
    }
}

/// The catalog `loaded`'s statements leave behind.
pub fn replay(loaded: &Loaded) -> Catalog {
    let mut catalog = Catalog::default();
    for unit in &loaded.units {
        catalog.apply(loaded, unit);
    }
    catalog
}

/// Applies one statement to `model`; [`Catalog::apply`] then takes what it
/// changed, which `record_needs` reads as this statement's.
pub(super) fn replay_unit(model: &mut Catalog, loaded: &Loaded, unit: &Unit) {
    let mut replay = Replay {
        model,
        at: Place {
            file: loaded.files[unit.file].name.as_str().into(),
            line: unit.statement.start.line,
        },
        search_path: &unit.search_path,
        statement: unit.statement.text(),
    };
    replay.apply(&unit.statement.node, &unit.facts);
    replay.record_needs(&unit.facts);
}

impl Replay<'_> {
    pub fn schema(&self) -> &str {
        first_schema(self.search_path)
    }

    pub fn cx(&self) -> Context<'_> {
        Context {
            model: self.model,
            search_path: self.search_path,
        }
    }

    pub fn property(&self, compare: Tree, shown: String) -> Property {
        self.with_words(compare, Words::Text(shown))
    }

    /// A property whose words are deparsed only if it is shown.
    pub fn deparsed(
        &self,
        compare: Tree,
        shown: impl Fn() -> String + Send + Sync + 'static,
    ) -> Property {
        self.with_words(compare, Words::deparsed(shown))
    }

    fn with_words(&self, compare: Tree, words: Words) -> Property {
        Property {
            compare,
            words,
            at: self.at.clone(),
        }
    }

    /// The canonical form of an expression, a query or a body, when the
    /// catalog compares them ([`Catalog::compares`]).
    pub fn compared<T: Serialize + ?Sized>(&self, node: &T) -> Tree {
        match self.model.compares() {
            true => canonical(node, &self.cx()),
            false => Tree::Null,
        }
    }

    /// A definition compared in `node`'s canonical form and shown, when
    /// first asked, by `show`; an outline's are never shown.
    pub fn definition<T: Serialize + Send + Sync + 'static>(
        &self,
        node: T,
        show: impl Fn(&T) -> String + Send + Sync + 'static,
    ) -> Property {
        self.definition_of(canonical(&node, &self.cx()), node, show)
    }

    /// [`Replay::definition`], compared by `compare`.
    pub fn definition_of<T: Send + Sync + 'static>(
        &self,
        compare: Tree,
        node: T,
        show: impl Fn(&T) -> String + Send + Sync + 'static,
    ) -> Property {
        match self.model.defines() {
            true => self.deparsed(compare, move || show(&node)),
            false => self.property(compare, String::new()),
        }
    }

    /// Sets a property, made only when the catalog keeps it (an outline
    /// keeps few).
    pub fn define(
        &mut self,
        key: &ObjectId,
        name: &'static str,
        make: impl FnOnce(&Self) -> Property,
    ) {
        if self.model.keeps(name) {
            let property = make(self);
            self.model.set(key, name, property);
        }
    }

    /// A property whose words are its canonical form.
    pub fn text(&self, shown: &str) -> Property {
        self.property(shown.into(), shown.into())
    }

    fn apply(&mut self, node: &NodeEnum, facts: &StatementFacts) {
        match node {
            NodeEnum::CreateStmt(s) => tables::create_table(self, s),
            NodeEnum::AlterTableStmt(s) => tables::alter_table(self, s),
            NodeEnum::IndexStmt(s) => self.index(s),
            NodeEnum::ViewStmt(s) => {
                let query = s.query.as_deref();
                self.query(ObjectKind::View, s.view.as_ref(), query, &s.aliases);
            }
            NodeEnum::CreateTableAsStmt(s) if s.objtype == ObjectType::ObjectMatview as i32 => {
                let into = s.into.as_ref();
                let columns = into.map_or(&[][..], |into| &into.col_names[..]);
                let relation = into.and_then(|into| into.rel.as_ref());
                self.query(
                    ObjectKind::MaterializedView,
                    relation,
                    s.query.as_deref(),
                    columns,
                );
            }
            NodeEnum::CreateSeqStmt(s) => {
                if let Some(range) = &s.sequence {
                    let name = QualifiedName::relation(range, self.schema());
                    let key = ObjectId::new(ObjectKind::Sequence, name);
                    self.create_once(key.clone(), s.if_not_exists);
                    self.model.add_needs(&key, owning_column(facts));
                }
            }
            NodeEnum::AlterSeqStmt(s) => {
                if let Some(range) = &s.sequence {
                    let name = QualifiedName::relation(range, self.schema());
                    let key = ObjectId::new(ObjectKind::Sequence, name);
                    self.model.add_needs(&key, owning_column(facts));
                }
            }
            NodeEnum::CreateSchemaStmt(s) if !is_builtin_schema(&s.schemaname) => {
                let name = QualifiedName::new(None, &s.schemaname);
                self.create_once(ObjectId::new(ObjectKind::Schema, name), s.if_not_exists);
            }
            NodeEnum::CreateExtensionStmt(s) => self.extension(s, facts),
            NodeEnum::CreateEnumStmt(s) => self.enum_type(s),
            NodeEnum::AlterEnumStmt(s) => self.alter_enum(s),
            NodeEnum::CompositeTypeStmt(s) => {
                if let Some(range) = &s.typevar {
                    let name = QualifiedName::relation(range, self.schema());
                    let mut definition = s.clone();
                    definition.typevar = None;
                    let compare = self.compared(&definition);
                    self.type_definition(name, compare, NodeEnum::CompositeTypeStmt(s.clone()));
                }
            }
            NodeEnum::CreateDomainStmt(s) => {
                if let Some(name) = QualifiedName::from_list(&s.domainname) {
                    let name = name.in_schema(self.schema());
                    let mut definition = s.clone();
                    definition.domainname.clear();
                    let compare = self.compared(&definition);
                    self.type_definition(name, compare, NodeEnum::CreateDomainStmt(s.clone()));
                }
            }
            NodeEnum::CreateFunctionStmt(s) => functions::create_function(self, s),
            NodeEnum::AlterFunctionStmt(s) => {
                if let Some(function) = &s.func {
                    functions::alter_function(self, function, &s.actions);
                }
            }
            NodeEnum::CreateTrigStmt(s) => self.trigger(s),
            NodeEnum::CreatePolicyStmt(s) => {
                let command = match s.cmd_name.as_str() {
                    "" => "ALL".to_string(),
                    command => command.to_uppercase(),
                };
                let permissive = if s.permissive {
                    "PERMISSIVE"
                } else {
                    "RESTRICTIVE"
                };
                self.policy(policy_of!(s), Some((command, permissive)));
            }
            NodeEnum::AlterPolicyStmt(s) => {
                self.policy(policy_of!(s), None);
            }
            NodeEnum::CreatePublicationStmt(s) => {
                let name = QualifiedName::new(None, &s.pubname);
                self.create_once(ObjectId::new(ObjectKind::Publication, name), true);
                let add = AlterPublicationAction::ApAddObjects;
                self.publication(&s.pubname, &s.pubobjects, add);
            }
            NodeEnum::AlterPublicationStmt(s) => {
                let action = AlterPublicationAction::try_from(s.action)
                    .unwrap_or(AlterPublicationAction::ApAddObjects);
                self.publication(&s.pubname, &s.pubobjects, action);
            }
            NodeEnum::DropStmt(s) => self.drop(s, facts),
            NodeEnum::RenameStmt(s) => self.rename(s, facts),
            NodeEnum::AlterObjectSchemaStmt(s) => self.move_schema(s, facts),
            NodeEnum::DoStmt(s) => {
                // What a DO block's plain statements do, as if run alone.
                for node in do_block_statements(s) {
                    let facts = analyze(&node, self.search_path);
                    self.apply(&node, &facts);
                }
            }
            _ => {}
        }
    }

    /// What the objects the statement made cannot exist without: what the
    /// statement needs when it runs (a view's relations and columns, a
    /// policy's tables, a trigger's function). A table's statement also
    /// reads what its foreign keys reference: those belong to the
    /// constraints (`add_constraint`), not the table; keys need what made them
    /// (`add_keys`).
    fn record_needs(&mut self, facts: &StatementFacts) {
        let schema = Name::new(self.schema());
        let needs: Vec<ObjectRef> = facts
            .facts
            .iter()
            .filter(|f| f.action == Action::Reads && f.strength == Strength::Hard)
            .filter(|f| f.alternatives.is_empty() && f.object.kind != ObjectKind::Rows)
            .map(|f| {
                let mut object = f.object.clone();
                if object.name.schema.is_none() && object.kind.is_schema_scoped() {
                    object.name.schema = Some(schema.clone());
                }
                object
            })
            .collect();
        if needs.is_empty() {
            return;
        }
        let made: Vec<ObjectId> = (self.model.journal.created.iter())
            .chain(&self.model.journal.replaced)
            .filter(|key| {
                let kind = key.object.kind;
                !(kind.is_table_part() || matches!(kind, ObjectKind::Table | ObjectKind::Sequence))
            })
            .cloned()
            .collect();
        for key in made {
            self.model.add_needs(&key, needs.iter().cloned());
        }
    }

    /// Creates an object unless `if_not_exists` and it exists.
    fn create_once(&mut self, key: ObjectId, if_not_exists: bool) {
        if !(if_not_exists && self.model.contains(&key)) {
            self.model.create(key, &self.at);
        }
    }

    fn index(&mut self, s: &IndexStmt) {
        let Some(range) = &s.relation else {
            return;
        };
        let table = QualifiedName::relation(range, self.schema());
        let name = match s.idxname.as_str() {
            "" => index_name(&table.name, s),
            given => given.to_string(),
        };
        let key = ObjectId::new(
            ObjectKind::Index,
            QualifiedName::new(table.schema.as_deref(), &name),
        );
        if s.if_not_exists && self.model.contains(&key) {
            return;
        }
        // The name is the identity; a renamed index keeps its definition.
        let index = match self.model.defines() {
            true => {
                let mut index = s.clone();
                index.if_not_exists = false;
                index.concurrent = false;
                if let Some(relation) = index.relation.as_mut() {
                    relation.schemaname = table.schema.as_deref().unwrap_or_default().to_string();
                }
                index.idxname.clear();
                index
            }
            // An outline keeps only the columns a cascade follows.
            false => IndexStmt {
                index_params: s.index_params.iter().map(column_only).collect(),
                ..IndexStmt::default()
            },
        };
        let shown_name = name.clone();
        let definition = self.definition(index, move |index| {
            let mut index = index.clone();
            index.idxname = shown_name.clone();
            statement_sql(&NodeEnum::IndexStmt(Box::new(index)))
        });
        self.model
            .create_belonging(key.clone(), &self.at, Some(table.clone()));
        self.model.set(&key, "definition", definition);
        if let Some(columns) = key_columns(s) {
            tables::add_keys(self, &table, &columns, false, &key.object);
        }
    }

    /// A view or materialized view: its query and column names.
    fn query(
        &mut self,
        kind: ObjectKind,
        relation: Option<&RangeVar>,
        query: Option<&Node>,
        columns: &[Node],
    ) {
        let (Some(relation), Some(query)) = (relation, query) else {
            return;
        };
        let name = QualifiedName::relation(relation, self.schema());
        let key = ObjectId::new(kind, name);
        // CREATE OR REPLACE keeps what needs the view; a view in place of
        // a table (a wrong replay order) does not.
        if let Some(existing) = self.model.relation(&key.object.name) {
            if existing != key {
                self.model.drop(&existing);
            }
        }
        self.model.create(key.clone(), &self.at);
        if self.model.defines() {
            let compare = self.compared(&(query, columns));
            let shown = query.clone();
            let definition = self.deparsed(compare, move || {
                shown.node.as_ref().map_or_else(String::new, statement_sql)
            });
            self.model.set(&key, "query", definition);
        }
    }

    fn extension(&mut self, s: &CreateExtensionStmt, facts: &StatementFacts) {
        let given = s.options.iter().find_map(|option| match &option.node {
            Some(NodeEnum::DefElem(def)) if def.defname == "schema" => {
                def.arg.as_deref().and_then(string_value)
            }
            _ => None,
        });
        let schema = given.unwrap_or(self.schema()).to_string();
        let key = ObjectId::new(ObjectKind::Extension, QualifiedName::new(None, &s.extname));
        if s.if_not_exists && self.model.contains(&key) {
            return;
        }
        let provided = facts.facts.iter().filter(|fact| {
            fact.action == Action::Creates
                && matches!(fact.object.kind, ObjectKind::Function | ObjectKind::Type)
        });
        for fact in provided {
            let object = &fact.object;
            self.model.provide(object.kind, object.name.clone());
        }
        let schema = self.text(&schema);
        self.model.create(key.clone(), &self.at);
        self.model.set(&key, "schema", schema);
    }

    fn enum_type(&mut self, s: &CreateEnumStmt) {
        let Some(name) = QualifiedName::from_list(&s.type_name) else {
            return;
        };
        let key = ObjectId::new(ObjectKind::Type, name.in_schema(self.schema()));
        let values = strings(&s.vals);
        self.model.create(key.clone(), &self.at);
        self.set_values(&key, values);
    }

    fn set_values(&mut self, key: &ObjectId, values: Vec<String>) {
        let shown: Vec<String> = values.iter().map(|v| quote_literal(v)).collect();
        let property = self.property(values.into(), shown.join(", "));
        self.model.set(key, "values", property);
    }

    fn alter_enum(&mut self, s: &AlterEnumStmt) {
        let Some(name) = QualifiedName::from_list(&s.type_name) else {
            return;
        };
        let key = ObjectId::new(ObjectKind::Type, name.in_schema(self.schema()));
        let Some(values) = self.model.property(&key, "values") else {
            return;
        };
        let mut values: Vec<String> = values
            .compare
            .as_list()
            .into_iter()
            .flatten()
            .filter_map(Tree::as_str)
            .map(str::to_string)
            .collect();
        if !s.old_val.is_empty() {
            for value in values.iter_mut().filter(|v| **v == s.old_val) {
                value.clone_from(&s.new_val);
            }
        } else if !values.contains(&s.new_val) {
            let at = values
                .iter()
                .position(|v| *v == s.new_val_neighbor)
                .map_or(values.len(), |at| at + usize::from(s.new_val_is_after));
            values.insert(at, s.new_val.clone());
        }
        self.set_values(&key, values);
    }

    fn type_definition(&mut self, name: QualifiedName, compare: Tree, statement: NodeEnum) {
        let key = ObjectId::new(ObjectKind::Type, name);
        let definition = self.deparsed(compare, move || statement_sql(&statement));
        self.model.create(key.clone(), &self.at);
        self.model.set(&key, "definition", definition);
    }

    fn trigger(&mut self, s: &CreateTrigStmt) {
        let Some(range) = &s.relation else {
            return;
        };
        let table = QualifiedName::relation(range, self.schema());
        let key = ObjectId::on(ObjectKind::Trigger, &s.trigname, &table);
        if !self.model.defines() {
            self.model.create(key, &self.at);
            return;
        }
        let mut trigger = s.clone();
        trigger.replace = false;
        trigger.funcname = self
            .cx()
            .function_name(&s.funcname)
            .iter()
            .map(|part| string_node(part))
            .collect();
        if let Some(relation) = trigger.relation.as_mut() {
            relation.schemaname = table.schema.as_deref().unwrap_or_default().to_string();
        }
        let shown = NodeEnum::CreateTrigStmt(Box::new(trigger.clone()));
        trigger.trigname.clear();
        trigger.relation = None;
        let definition = self.deparsed(self.compared(&trigger), move || statement_sql(&shown));
        let enabled = self.text("enabled");
        self.model.create(key.clone(), &self.at);
        self.model.set(&key, "definition", definition);
        self.model.set(&key, "enabled", enabled);
    }

    /// CREATE POLICY (with its command and kind) or ALTER POLICY (what it
    /// names changes).
    fn policy(&mut self, policy: Policy, created: Option<(String, &str)>) {
        let Some(range) = policy.table else {
            return;
        };
        let table = QualifiedName::relation(range, self.schema());
        let key = ObjectId::on(ObjectKind::Policy, policy.name, &table);
        if !self.model.defines() {
            if created.is_some() {
                self.model.create(key, &self.at);
            }
            return;
        }
        let is_created = created.is_some();
        if let Some((command, permissive)) = created {
            let command = self.text(&command);
            let permissive = self.text(permissive);
            self.model.create(key.clone(), &self.at);
            self.model.set(&key, "command", command);
            self.model.set(&key, "kind", permissive);
        }
        if is_created || !policy.roles.is_empty() {
            let mut roles: Vec<String> = policy.roles.iter().filter_map(role_name).collect();
            if roles.is_empty() {
                roles.push("public".into());
            }
            roles.sort();
            roles.dedup();
            let shown = roles.join(", ");
            let roles = self.property(roles.into(), shown);
            self.model.set(&key, "roles", roles);
        }
        for (name, expression) in [("using", policy.using), ("with check", policy.with_check)] {
            if let Some(expression) = expression {
                let shown = expression.clone();
                let property =
                    self.deparsed(self.compared(expression), move || expression_sql(&shown));
                self.model.set(&key, name, property);
            }
        }
    }

    /// Which publications a table is in (Supabase Realtime's
    /// `supabase_realtime`), as a property of the table.
    fn publication(&mut self, name: &str, objects: &[Node], action: AlterPublicationAction) {
        use AlterPublicationAction as A;
        if action == A::ApSetObjects {
            let tables: Vec<ObjectId> = self.model.iter().map(|(key, _)| key.clone()).collect();
            for table in tables {
                self.publish(&table, name, false);
            }
        }
        for object in objects {
            let Some(NodeEnum::PublicationObjSpec(spec)) = &object.node else {
                continue;
            };
            let Some(range) = spec.pubtable.as_ref().and_then(|t| t.relation.as_ref()) else {
                continue;
            };
            let table = QualifiedName::relation(range, self.schema());
            if let Some(table) = self.model.relation(&table) {
                self.publish(&table, name, action != A::ApDropObjects);
            }
        }
    }

    fn publish(&mut self, table: &ObjectId, publication: &str, member: bool) {
        let Some(entry) = self.model.get(table) else {
            return;
        };
        let mut names = strings_or_empty(entry.properties.get("publications"));
        names.retain(|n| n != publication);
        if member {
            names.push(publication.to_string());
            names.sort();
        }
        if names.is_empty() {
            self.model.unset(table, "publications");
        } else {
            let shown = names.join(", ");
            let property = self.property(names.into(), shown);
            self.model.set(table, "publications", property);
        }
    }

    fn drop(&mut self, s: &DropStmt, facts: &StatementFacts) {
        let remove_type = ObjectType::try_from(s.remove_type);
        if ObjectKind::from_object_type(s.remove_type) == ObjectKind::Function {
            for object in &s.objects {
                if let Some(NodeEnum::ObjectWithArgs(function)) = &object.node {
                    for key in functions::overloads(self, function) {
                        self.model.drop(&key);
                    }
                }
            }
            return;
        }
        let cascade = s.behavior == DropBehavior::DropCascade as i32;
        for fact in facts.facts.iter().filter(|f| f.action == Action::Drops) {
            if remove_type == Ok(ObjectType::ObjectSchema) && cascade {
                self.model.drop_schema(&fact.object.name.name);
            }
            for key in self.model.matching(&fact.object) {
                self.model.drop(&key);
            }
        }
    }

    fn rename(&mut self, s: &RenameStmt, facts: &StatementFacts) {
        for key in self.renamed(s.object.as_deref(), facts) {
            self.model.rename(&key, &s.newname);
        }
    }

    fn move_schema(&mut self, s: &AlterObjectSchemaStmt, facts: &StatementFacts) {
        for key in self.renamed(s.object.as_deref(), facts) {
            let mut new = key.object.name.clone();
            new.schema = Some(s.newschema.as_str().into());
            self.model.rename_to(&key, new);
        }
    }

    /// What a rename or a move names: a function's overloads by their
    /// arguments, otherwise what the facts say it renames.
    fn renamed(&self, object: Option<&Node>, facts: &StatementFacts) -> Vec<ObjectId> {
        let function = object.and_then(|object| match &object.node {
            Some(NodeEnum::ObjectWithArgs(function)) => Some(function),
            _ => None,
        });
        match function {
            Some(function) => functions::overloads(self, function),
            None => (facts.facts.iter())
                .filter(|f| f.action == Action::Renames)
                .flat_map(|fact| self.model.matching(&fact.object))
                .collect(),
        }
    }
}

/// The column a sequence is `OWNED BY`: it goes when the column does.
fn owning_column(facts: &StatementFacts) -> Vec<ObjectRef> {
    (facts.facts.iter())
        .filter(|f| f.action == Action::Reads && f.object.kind == ObjectKind::Column)
        .map(|f| f.object.clone())
        .collect()
}

struct Policy<'a> {
    name: &'a str,
    table: Option<&'a RangeVar>,
    roles: &'a [Node],
    using: Option<&'a Node>,
    with_check: Option<&'a Node>,
}

fn role_name(role: &Node) -> Option<String> {
    let Some(NodeEnum::RoleSpec(spec)) = &role.node else {
        return None;
    };
    Some(match RoleSpecType::try_from(spec.roletype).ok()? {
        RoleSpecType::RolespecCstring => spec.rolename.clone(),
        RoleSpecType::RolespecCurrentRole => "current_role".into(),
        RoleSpecType::RolespecCurrentUser => "current_user".into(),
        RoleSpecType::RolespecSessionUser => "session_user".into(),
        RoleSpecType::RolespecPublic | RoleSpecType::Undefined => "public".into(),
    })
}

fn strings_or_empty(property: Option<&Property>) -> Vec<String> {
    property
        .and_then(|p| p.compare.as_list())
        .into_iter()
        .flatten()
        .filter_map(Tree::as_str)
        .map(str::to_string)
        .collect()
}
