#include "eventinspector.h"

#include "elidedtext.h"

#include "decoding/payload.h"
#include "decoding/timecodec.h"
#include "icons.h"
#include "jsontreemodel.h"
#include "replay/eventjson.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

// The payload as text: indented JSON when it parsed, else its bytes as they are.
QString pretty(const std::optional<QJsonValue> &json, const QByteArray &bytes)
{
    if (!json)
        return QString::fromUtf8(bytes);
    if (json->isObject())
        return QString::fromUtf8(QJsonDocument(json->toObject()).toJson(QJsonDocument::Indented));
    if (json->isArray())
        return QString::fromUtf8(QJsonDocument(json->toArray()).toJson(QJsonDocument::Indented));
    return QString::fromUtf8(Payload::compact(*json));
}

} // namespace

EventInspector::EventInspector(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel(this);
    m_heading->setTextFormat(Qt::PlainText);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note = new QLabel(this);
    m_note->setObjectName(u"inspectorNote"_s);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->hide();

    m_dataModel = new JsonTreeModel(this);
    m_metadataModel = new JsonTreeModel(this);
    m_dataTree = makeTree(m_dataModel);
    m_dataTree->setObjectName(u"inspectorData"_s);
    m_metadataTree = makeTree(m_metadataModel);
    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap); // hex dumps and indented XML keep their columns
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_dataTree, tr("Data"));
    m_tabs->addTab(m_metadataTree, tr("Metadata"));
    m_tabs->addTab(m_raw, tr("Raw"));

    auto *copy = new QToolButton(this);
    copy->setIcon(Icons::icon(Icons::Copy));
    copy->setText(tr("Copy event"));
    copy->setToolTip(tr("Copy the whole event as JSON"));
    copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    copy->setAutoRaise(true);
    connect(copy, &QToolButton::clicked, this, &EventInspector::copyEvent);

    auto *top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(copy, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_note);
    layout->addWidget(m_tabs, 1);
    clear();
}

QTreeView *EventInspector::makeTree(JsonTreeModel *model)
{
    auto *tree = new QTreeView(this);
    tree->setModel(model);
    tree->setUniformRowHeights(true);
    tree->setAlternatingRowColors(true);
    tree->header()->resizeSection(0, 160);
    tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyValue = new QAction(Icons::icon(Icons::Copy), tr("Copy value"), tree);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValue, &QAction::triggered, this, &EventInspector::copyValue);
    auto *copyPath = new QAction(tr("Copy path"), tree);
    connect(copyPath, &QAction::triggered, this, &EventInspector::copyPath);
    auto *copyEvent = new QAction(tr("Copy event as JSON"), tree);
    connect(copyEvent, &QAction::triggered, this, &EventInspector::copyEvent);
    tree->addActions({copyValue, copyPath, copyEvent});
    return tree;
}

void EventInspector::setEvent(const Event &event)
{
    m_event = event;
    m_hasEvent = true;
    m_heading->setText(tr("%1 · %2 v%3 · position %4 · %5")
                           .arg(elidedName(event.type), elidedName(event.stream))
                           .arg(event.version)
                           .arg(event.position)
                           .arg(TimeCodec::format(event.timeMs)));
    const auto data = Payload::toJson(event.data);
    m_dataModel->setJson(data.value_or(QJsonValue(QJsonValue::Undefined)));
    m_metadataModel->setJson(
        Payload::toJson(event.metadata).value_or(QJsonValue(QJsonValue::Undefined)));
    m_dataTree->expandToDepth(1);
    m_metadataTree->expandToDepth(1);
    QString raw = pretty(data, event.data);
    // A decoded payload (XML, YAML, a hex dump) is shown as it is, its note says what it is.
    if (!data && !event.data.isEmpty() && event.dataNote.isEmpty())
        raw = tr("(%1 bytes; not JSON, shown as text)").arg(event.data.size()) + u"\n\n"_s + raw;
    m_raw->setPlainText(raw);
    m_note->setText(event.dataNote);
    m_note->setVisible(!event.dataNote.isEmpty());
    // A payload that is not JSON has no tree: show its text at once.
    m_tabs->setCurrentWidget(data || event.data.isEmpty() ? static_cast<QWidget *>(m_dataTree)
                                                          : m_raw);
    setEnabled(true);
}

void EventInspector::clear()
{
    m_hasEvent = false;
    m_heading->setText(tr("Select an event in the table or on the timeline."));
    m_dataModel->setJson(QJsonValue(QJsonValue::Undefined));
    m_metadataModel->setJson(QJsonValue(QJsonValue::Undefined));
    m_raw->clear();
    m_note->clear();
    m_note->hide();
}

QString EventInspector::rawText() const
{
    return m_raw->toPlainText();
}

QString EventInspector::heading() const
{
    return m_heading->text();
}

QString EventInspector::note() const
{
    return m_note->text();
}

QTreeView *EventInspector::currentTree() const
{
    return m_tabs->currentWidget() == m_metadataTree ? m_metadataTree : m_dataTree;
}

void EventInspector::copyEvent() const
{
    if (m_hasEvent)
        QApplication::clipboard()->setText(QString::fromUtf8(EventJson::event(m_event)));
}

void EventInspector::copyValue() const
{
    const QModelIndex index = currentTree()->currentIndex();
    if (index.isValid()) {
        const QJsonValue value = index.data(JsonTreeModel::JsonRole).toJsonValue();
        QApplication::clipboard()->setText(
            value.isString() ? value.toString() : QString::fromUtf8(Payload::compact(value)));
    }
}

void EventInspector::copyPath() const
{
    const QModelIndex index = currentTree()->currentIndex();
    if (index.isValid())
        QApplication::clipboard()->setText(index.data(JsonTreeModel::PathRole).toString());
}
