#pragma once

// The selected event in full: its data and metadata as syntax-coloured JSON trees (raw text
// for payloads that are not JSON: XML, YAML, text or a hex dump, with a note on how it was
// decoded), with copy of a value, of a path, and of the whole event as JSON.

#include "core/event.h"

#include <QWidget>

class JsonTreeModel;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;

class EventInspector : public QWidget
{
    Q_OBJECT

public:
    explicit EventInspector(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    void clear();

    bool hasEvent() const { return m_hasEvent; }
    QTreeView *dataTree() const { return m_dataTree; }
    QString rawText() const;
    QString heading() const;
    QString note() const; // how the data was decoded; empty for plain JSON

public slots:
    void copyEvent() const;
    void copyValue() const;
    void copyPath() const;

private:
    QTreeView *makeTree(JsonTreeModel *model);
    QTreeView *currentTree() const;

    bool m_hasEvent = false;
    Event m_event;
    QLabel *m_heading;
    QLabel *m_note;
    QTabWidget *m_tabs;
    JsonTreeModel *m_dataModel;
    JsonTreeModel *m_metadataModel;
    QTreeView *m_dataTree;
    QTreeView *m_metadataTree;
    QPlainTextEdit *m_raw;
};
