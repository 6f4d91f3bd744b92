#include "replay/jsondiff.h"

#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Changes as compact JSON, [kind, path, before, after] with Undefined values left out, so
// that an added change must have no before and a removed one no after to match.
QByteArray describe(const QVector<JsonChange> &changes)
{
    QJsonArray list;
    for (const JsonChange &change : changes) {
        QJsonArray row{JsonDiff::kindName(change.kind), change.path};
        if (!change.before.isUndefined())
            row.append(change.before);
        if (!change.after.isUndefined())
            row.append(change.after);
        list.append(row);
    }
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
}

QByteArray normalized(const QByteArray &jsonArray)
{
    return QJsonDocument::fromJson(jsonArray).toJson(QJsonDocument::Compact);
}

} // namespace

class TestJsonDiff : public QObject
{
    Q_OBJECT

private slots:
    void compare_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("both empty") << QByteArray("{}") << QByteArray("{}") << QByteArray("[]");
        QTest::newRow("equal states")
            << QByteArray(R"({"a":{"b":[1,{"c":"x"}]},"n":null})")
            << QByteArray(R"({"n":null,"a":{"b":[1,{"c":"x"}]}})") << QByteArray("[]");
        QTest::newRow("1 equals 1.0")
            << QByteArray(R"({"n":1})") << QByteArray(R"({"n":1.0})") << QByteArray("[]");

        QTest::newRow("top-level changed") << QByteArray(R"({"n":1})") << QByteArray(R"({"n":2})")
                                           << QByteArray(R"([["changed","n",1,2]])");
        QTest::newRow("integer to fraction")
            << QByteArray(R"({"n":1})") << QByteArray(R"({"n":1.5})")
            << QByteArray(R"([["changed","n",1,1.5]])");
        QTest::newRow("bool") << QByteArray(R"({"b":true})") << QByteArray(R"({"b":false})")
                              << QByteArray(R"([["changed","b",true,false]])");
        QTest::newRow("top-level added")
            << QByteArray(R"({"a":1})") << QByteArray(R"({"a":1,"b":"x"})")
            << QByteArray(R"([["added","b","x"]])");
        QTest::newRow("top-level removed")
            << QByteArray(R"({"a":1,"b":"x"})") << QByteArray(R"({"a":1})")
            << QByteArray(R"([["removed","b","x"]])");
        QTest::newRow("added null") << QByteArray("{}") << QByteArray(R"({"a":null})")
                                    << QByteArray(R"([["added","a",null]])");

        QTest::newRow("nested added, changed, removed")
            << QByteArray(R"({"p":{"keep":1,"old":2,"val":3}})")
            << QByteArray(R"({"p":{"keep":1,"new":4,"val":5}})")
            << QByteArray(R"([["added","p.new",4],["removed","p.old",2],["changed","p.val",3,5]])");
        QTest::newRow("deeply nested") << QByteArray(R"({"a":{"b":{"c":{"d":1}}}})")
                                       << QByteArray(R"({"a":{"b":{"c":{"d":2}}}})")
                                       << QByteArray(R"([["changed","a.b.c.d",1,2]])");
        QTest::newRow("added subtree is one change")
            << QByteArray(R"({"x":0})") << QByteArray(R"({"x":0,"s":{"a":1,"b":{"c":2}}})")
            << QByteArray(R"([["added","s",{"a":1,"b":{"c":2}}]])");
        QTest::newRow("removed subtree is one change")
            << QByteArray(R"({"s":{"a":[1,2],"b":3}})") << QByteArray("{}")
            << QByteArray(R"([["removed","s",{"a":[1,2],"b":3}]])");
        QTest::newRow("everything added") << QByteArray("{}") << QByteArray(R"({"b":2,"a":1})")
                                          << QByteArray(R"([["added","a",1],["added","b",2]])");

        QTest::newRow("object to number")
            << QByteArray(R"({"v":{"a":1}})") << QByteArray(R"({"v":3})")
            << QByteArray(R"([["changed","v",{"a":1},3]])");
        QTest::newRow("array to object")
            << QByteArray(R"({"v":[1]})") << QByteArray(R"({"v":{"0":1}})")
            << QByteArray(R"([["changed","v",[1],{"0":1}]])");
        QTest::newRow("number to string") << QByteArray(R"({"v":1})") << QByteArray(R"({"v":"1"})")
                                          << QByteArray(R"([["changed","v",1,"1"]])");
        QTest::newRow("null to number") << QByteArray(R"({"v":null})") << QByteArray(R"({"v":0})")
                                        << QByteArray(R"([["changed","v",null,0]])");
        QTest::newRow("object to null")
            << QByteArray(R"({"v":{"a":1}})") << QByteArray(R"({"v":null})")
            << QByteArray(R"([["changed","v",{"a":1},null]])");

        QTest::newRow("array grows")
            << QByteArray(R"({"t":[1,2]})") << QByteArray(R"({"t":[1,2,3,{"x":4}]})")
            << QByteArray(R"([["added","t[2]",3],["added","t[3]",{"x":4}]])");
        QTest::newRow("array shrinks")
            << QByteArray(R"({"t":[1,2,3]})") << QByteArray(R"({"t":[1]})")
            << QByteArray(R"([["removed","t[1]",2],["removed","t[2]",3]])");
        QTest::newRow("array element changes")
            << QByteArray(R"({"t":["a","b","c"]})") << QByteArray(R"({"t":["a","B","c"]})")
            << QByteArray(R"([["changed","t[1]","b","B"]])");
        QTest::newRow("array emptied") << QByteArray(R"({"t":[1]})") << QByteArray(R"({"t":[]})")
                                       << QByteArray(R"([["removed","t[0]",1]])");
        QTest::newRow("shifted array compares by index")
            << QByteArray(R"({"t":[1,2]})") << QByteArray(R"({"t":[0,1,2]})")
            << QByteArray(R"([["changed","t[0]",1,0],["changed","t[1]",2,1],["added","t[2]",2]])");
        QTest::newRow("object inside array")
            << QByteArray(R"({"t":[{"x":1,"y":1}]})") << QByteArray(R"({"t":[{"x":2,"y":1}]})")
            << QByteArray(R"([["changed","t[0].x",1,2]])");
        QTest::newRow("array inside array")
            << QByteArray(R"({"m":[[1,2],[3]]})") << QByteArray(R"({"m":[[1,5],[3,4]]})")
            << QByteArray(R"([["changed","m[0][1]",2,5],["added","m[1][1]",4]])");

        QTest::newRow("indices in numeric order")
            << QByteArray(R"({"t":[0,0,0,0,0,0,0,0,0,0,0,0]})")
            << QByteArray(R"({"t":[0,0,2,0,0,0,0,0,0,0,10,0]})")
            << QByteArray(R"([["changed","t[2]",0,2],["changed","t[10]",0,10]])");
        QTest::newRow("keys in key order across added and removed")
            << QByteArray(R"({"b":1,"d":1})") << QByteArray(R"({"a":1,"c":1,"d":2})")
            << QByteArray(R"([["added","a",1],["removed","b",1],["added","c",1],)"
                          R"(["changed","d",1,2]])");

        // Quotes inside paths are written \u0022: moc (Qt 6.4) lexes raw strings as plain
        // ones and loses track of the class at an escaped quote.
        QTest::newRow("key with a dot")
            << QByteArray(R"({"a":{"x.y":1}})") << QByteArray(R"({"a":{"x.y":2}})")
            << QByteArray(R"([["changed","a[\u0022x.y\u0022]",1,2]])");
        QTest::newRow("top-level key with a space")
            << QByteArray(R"({"first name":"A"})") << QByteArray(R"({"first name":"B"})")
            << QByteArray(R"([["changed","[\u0022first name\u0022]","A","B"]])");
        QTest::newRow("quoted key then child")
            << QByteArray(R"({"a.b":{"c":1}})") << QByteArray(R"({"a.b":{"c":1,"d":2}})")
            << QByteArray(R"([["added","[\u0022a.b\u0022].d",2]])");
        QTest::newRow("empty key") << QByteArray(R"({"":1})") << QByteArray("{}")
                                   << QByteArray(R"([["removed","[\u0022\u0022]",1]])");
        QTest::newRow("quote in key")
            << QByteArray(R"({"a":{}})") << QByteArray(R"({"a":{"say \u0022hi\u0022":1}})")
            << QByteArray(R"([["added","a[\u0022say \\\u0022hi\\\u0022\u0022]",1]])");
        QTest::newRow("brackets in key under array")
            << QByteArray(R"({"t":[{"k[0]":1}]})") << QByteArray(R"({"t":[{"k[0]":2}]})")
            << QByteArray(R"([["changed","t[0][\u0022k[0]\u0022]",1,2]])");
    }
    void compare()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(QByteArray, expected);
        QCOMPARE(describe(JsonDiff::compare(TestSupport::jsonObject(before),
                                            TestSupport::jsonObject(after))),
                 normalized(expected));
    }

    void changeValues()
    {
        // describe() hides Undefined; check the values themselves once.
        const QVector<JsonChange> changes =
            JsonDiff::compare(TestSupport::jsonObject(R"({"gone":1,"same":2})"),
                              TestSupport::jsonObject(R"({"new":3,"same":2})"));
        const QJsonValue undefined(QJsonValue::Undefined);
        const QVector<JsonChange> expected{
            {JsonChange::Kind::Removed, u"gone"_s, QJsonValue(1), undefined},
            {JsonChange::Kind::Added, u"new"_s, undefined, QJsonValue(3)},
        };
        QCOMPARE(changes.size(), expected.size());
        QVERIFY(changes == expected);
    }

    void sharedStateHasNoChanges()
    {
        QJsonObject before = TestSupport::jsonObject(R"({"a":{"b":[1,2,3]}})");
        const QJsonObject after = before;
        QVERIFY(JsonDiff::compare(before, after).isEmpty());
        before.insert(u"z"_s, 1);
        QCOMPARE(describe(JsonDiff::compare(before, after)), normalized(R"([["removed","z",1]])"));
    }

    void kindName()
    {
        QCOMPARE(JsonDiff::kindName(JsonChange::Kind::Added), u"added"_s);
        QCOMPARE(JsonDiff::kindName(JsonChange::Kind::Changed), u"changed"_s);
        QCOMPARE(JsonDiff::kindName(JsonChange::Kind::Removed), u"removed"_s);
    }
};

QTEST_GUILESS_MAIN(TestJsonDiff)
#include "tst_jsondiff.moc"
