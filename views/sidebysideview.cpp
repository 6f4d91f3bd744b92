#include "sidebysideview.h"

#include "changecolors.h"
#include "decoding/timecodec.h"
#include "replay/jsonpath.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMap>
#include <QPushButton>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace {

constexpr int MinColumnWidth = 200;

// Every leaf of a state by its display path; empty objects and arrays are leaves too.
void flatten(const QJsonValue &value, const QString &path, QMap<QString, QJsonValue> *into)
{
    if (value.isObject() && !value.toObject().isEmpty()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            flatten(it.value(), JsonPath::childKey(path, it.key()), into);
    } else if (value.isArray() && !value.toArray().isEmpty()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            flatten(array.at(i), JsonPath::childIndex(path, i), into);
    } else if (!path.isEmpty()) { // an empty state has no fields, not a field without a name
        into->insert(path, value);
    }
}

QString valueText(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"—"_s;
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

} // namespace

SideBySideView::SideBySideView(QWidget *parent)
    : QuestionPanel(tr("Choose two to four streams; the replay's cursor moves them all."), parent)
{
    m_streams = new QLineEdit(this);
    m_streams->setObjectName(u"sideBySideStreams"_s);
    m_streams->setPlaceholderText(tr("stream, stream, … (two to four)"));
    m_add = new QPushButton(tr("Add Replayed Stream"), this);
    m_table = new QTreeWidget(this);
    m_table->setObjectName(u"sideBySideTable"_s);
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setHeaderLabels({tr("Field")});

    auto *choose = new QHBoxLayout;
    choose->addWidget(m_streams, 1);
    choose->addWidget(m_add);
    addControls(choose);
    setBody(m_table);

    connect(m_streams, &QLineEdit::editingFinished, this, &SideBySideView::streamsChanged);
    connect(m_add, &QPushButton::clicked, this, [this] {
        QStringList names = m_streams->text().split(u',', Qt::SkipEmptyParts);
        for (QString &name : names)
            name = name.trimmed();
        if (m_replayed.isEmpty() || names.contains(m_replayed) || names.size() >= MaxStreams)
            return;
        names << m_replayed;
        m_streams->setText(names.join(u", "_s));
        emit streamsChanged();
    });
}

QStringList SideBySideView::streams() const
{
    QStringList names;
    const QStringList parts = m_streams->text().split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString name = part.trimmed();
        if (!name.isEmpty() && !names.contains(name))
            names << name;
    }
    return names.size() >= 2 && names.size() <= MaxStreams ? names : QStringList();
}

void SideBySideView::setReplayedStream(const QString &stream)
{
    m_replayed = stream;
    m_add->setEnabled(!stream.isEmpty());
}

void SideBySideView::showPending(const QString &what)
{
    showBusy(what);
}

void SideBySideView::setStates(qint64 timeMs, const QVector<ReplayState> &states)
{
    setHeading(tr("At %1").arg(timeMs == NoTime ? tr("no time") : TimeCodec::format(timeMs)));
    QVector<QMap<QString, QJsonValue>> leaves(states.size());
    QStringList labels{tr("Field")};
    QMap<QString, bool> paths; // sorted union
    for (qsizetype i = 0; i < states.size(); ++i) {
        const ReplayState &s = states.at(i);
        labels << (s.index < 0 ? tr("%1 (no event yet)").arg(s.stream)
                               : tr("%1 v%2").arg(s.stream).arg(s.version));
        flatten(s.state, QString(), &leaves[i]);
        for (auto it = leaves[i].cbegin(); it != leaves[i].cend(); ++it)
            paths.insert(it.key(), true);
    }
    m_table->clear();
    m_table->setColumnCount(int(labels.size()));
    m_table->setHeaderLabels(labels);
    int differing = 0;
    for (auto it = paths.cbegin(); it != paths.cend(); ++it) {
        QStringList cells{it.key()};
        bool differs = false;
        const QJsonValue first = leaves.value(0).value(it.key(), QJsonValue(QJsonValue::Undefined));
        for (const auto &leaf : std::as_const(leaves)) {
            const QJsonValue v = leaf.value(it.key(), QJsonValue(QJsonValue::Undefined));
            differs = differs || v != first;
            cells << valueText(v);
        }
        auto *item = new QTreeWidgetItem(m_table, cells);
        if (differs) {
            ++differing;
            for (int c = 0; c < cells.size(); ++c)
                item->setBackground(c, changeColor(JsonChange::Kind::Changed));
        }
    }
    // Each stream's column wide enough to read across, however short its values.
    for (int c = 0; c < labels.size(); ++c) {
        m_table->resizeColumnToContents(c);
        if (c > 0)
            m_table->setColumnWidth(c, qMax(m_table->columnWidth(c), MinColumnWidth));
    }
    showMessage(tr("%n field(s) differ", nullptr, differing));
}

QStringList SideBySideView::differingPaths() const
{
    QStringList paths;
    for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_table->topLevelItem(i);
        if (item->background(0).style() != Qt::NoBrush)
            paths << item->text(0);
    }
    return paths;
}
