#include "replay/jsonpath.h"

#include "decoding/payload.h"
#include "replay/eventjson.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

class TestJsonPath : public QObject
{
    Q_OBJECT

private slots:
    void split_data()
    {
        QTest::addColumn<QString>("dotted");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("empty is the root") << QString() << QStringList();
        QTest::newRow("one key") << u"clicks"_s << QStringList{u"clicks"_s};
        QTest::newRow("nested") << u"a.b.c"_s << QStringList{u"a"_s, u"b"_s, u"c"_s};
        QTest::newRow("empty segment kept") << u"a..b"_s << QStringList{u"a"_s, QString(), u"b"_s};
        QTest::newRow("leading dot") << u".a"_s << QStringList{QString(), u"a"_s};
    }
    void split()
    {
        QFETCH(QString, dotted);
        QFETCH(QStringList, expected);
        QCOMPARE(JsonPath::split(dotted), expected);
    }

    void get_data()
    {
        QTest::addColumn<QByteArray>("root");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("expected");

        const QByteArray nested = R"({"a":{"b":1,"n":null},"s":"x"})";
        QTest::newRow("leaf") << nested << u"a.b"_s << QByteArray("[1]");
        QTest::newRow("subtree") << nested << u"a"_s << QByteArray(R"([{"b":1,"n":null}])");
        QTest::newRow("null is present") << nested << u"a.n"_s << QByteArray("[null]");
        QTest::newRow("missing leaf") << nested << u"a.c"_s << QByteArray("undefined");
        QTest::newRow("missing parent") << nested << u"x.y"_s << QByteArray("undefined");
        QTest::newRow("through a string") << nested << u"s.length"_s << QByteArray("undefined");
        QTest::newRow("root") << QByteArray(R"({"a":1})") << QString()
                              << QByteArray(R"([{"a":1}])");
    }
    void get()
    {
        QFETCH(QByteArray, root);
        QFETCH(QString, path);
        QFETCH(QByteArray, expected);
        QCOMPARE(TestSupport::describeJson(
                     JsonPath::get(TestSupport::jsonObject(root), JsonPath::split(path))),
                 expected);
    }

    void set_data()
    {
        QTest::addColumn<QByteArray>("root");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("value"); // a one-element JSON array
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("new key") << QByteArray("{}") << u"a"_s << QByteArray("[1]")
                                 << QByteArray(R"({"a":1})");
        QTest::newRow("creates parents") << QByteArray("{}") << u"a.b.c"_s << QByteArray("[true]")
                                         << QByteArray(R"({"a":{"b":{"c":true}}})");
        QTest::newRow("keeps siblings")
            << QByteArray(R"({"a":{"x":1},"z":0})") << u"a.b"_s << QByteArray(R"(["v"])")
            << QByteArray(R"({"a":{"b":"v","x":1},"z":0})");
        QTest::newRow("replaces a number on the way")
            << QByteArray(R"({"a":5})") << u"a.b"_s << QByteArray("[1]")
            << QByteArray(R"({"a":{"b":1}})");
        QTest::newRow("replaces an array on the way")
            << QByteArray(R"({"a":[1,2]})") << u"a.b"_s << QByteArray("[1]")
            << QByteArray(R"({"a":{"b":1}})");
        QTest::newRow("overwrites a subtree")
            << QByteArray(R"({"a":{"b":{"c":1}}})") << u"a.b"_s << QByteArray("[null]")
            << QByteArray(R"({"a":{"b":null}})");
        QTest::newRow("root takes an object")
            << QByteArray(R"({"a":1})") << QString() << QByteArray(R"([{"b":2}])")
            << QByteArray(R"({"b":2})");
        QTest::newRow("root ignores a number") << QByteArray(R"({"a":1})") << QString()
                                               << QByteArray("[3]") << QByteArray(R"({"a":1})");
    }
    void set()
    {
        QFETCH(QByteArray, root);
        QFETCH(QString, path);
        QFETCH(QByteArray, value);
        QFETCH(QByteArray, expected);
        QJsonObject state = TestSupport::jsonObject(root);
        JsonPath::set(state, JsonPath::split(path), QJsonDocument::fromJson(value).array().at(0));
        QCOMPARE(Payload::compact(state), expected);
    }

    void setUndefinedRemoves()
    {
        QJsonObject state = TestSupport::jsonObject(R"({"a":{"b":1,"c":2}})");
        JsonPath::set(state, {u"a"_s, u"b"_s}, QJsonValue(QJsonValue::Undefined));
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{"c":2}})"));
        JsonPath::set(state, {u"x"_s, u"y"_s}, QJsonValue(QJsonValue::Undefined));
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{"c":2}})"));
    }

    void remove_data()
    {
        QTest::addColumn<QByteArray>("root");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("leaf") << QByteArray(R"({"a":{"b":1,"c":2}})") << u"a.b"_s
                              << QByteArray(R"({"a":{"c":2}})");
        QTest::newRow("parent stays")
            << QByteArray(R"({"a":{"b":1}})") << u"a.b"_s << QByteArray(R"({"a":{}})");
        QTest::newRow("subtree") << QByteArray(R"({"a":{"b":1},"z":0})") << u"a"_s
                                 << QByteArray(R"({"z":0})");
        QTest::newRow("missing") << QByteArray(R"({"a":{"b":1}})") << u"a.x"_s
                                 << QByteArray(R"({"a":{"b":1}})");
        QTest::newRow("missing parent is not created")
            << QByteArray(R"({"a":1})") << u"x.y"_s << QByteArray(R"({"a":1})");
        QTest::newRow("through a number")
            << QByteArray(R"({"a":5})") << u"a.b"_s << QByteArray(R"({"a":5})");
        QTest::newRow("root empties") << QByteArray(R"({"a":5})") << QString() << QByteArray("{}");
    }
    void remove()
    {
        QFETCH(QByteArray, root);
        QFETCH(QString, path);
        QFETCH(QByteArray, expected);
        QJsonObject state = TestSupport::jsonObject(root);
        JsonPath::remove(state, JsonPath::split(path));
        QCOMPARE(Payload::compact(state), expected);
    }

    void update()
    {
        QJsonObject state = TestSupport::jsonObject(R"({"a":{"list":[1]}})");
        const QJsonObject snapshot = state;

        JsonPath::update(state, {u"a"_s, u"list"_s}, [](QJsonValue &value) {
            QJsonArray array = value.toArray();
            array.append(2);
            value = array;
        });
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{"list":[1,2]}})"));
        // The state shares its containers with the snapshot; changing one leaves the other.
        QCOMPARE(Payload::compact(snapshot), QByteArray(R"({"a":{"list":[1]}})"));

        bool sawUndefined = false;
        JsonPath::update(state, {u"b"_s, u"c"_s}, [&sawUndefined](QJsonValue &value) {
            sawUndefined = value.isUndefined();
            value = 7;
        });
        QVERIFY(sawUndefined);
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{"list":[1,2]},"b":{"c":7}})"));

        JsonPath::update(state, {u"a"_s, u"list"_s},
                         [](QJsonValue &value) { value = QJsonValue(QJsonValue::Undefined); });
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{},"b":{"c":7}})"));
    }

    // update() walks a path of any length in a loop: 30,000 parts (which overflowed the
    // stack when it recursed) set, read, change and remove like three.
    void longPath()
    {
        QStringList path;
        for (int i = 0; i < 30000; ++i)
            path << u"k"_s + QString::number(i % 7);
        QJsonObject state = TestSupport::jsonObject(R"({"k0":{"other":true}})");
        JsonPath::set(state, path, 1);
        QCOMPARE(JsonPath::get(state, path), QJsonValue(1));
        JsonPath::update(state, path, [](QJsonValue &value) { value = value.toInt() + 1; });
        QCOMPARE(JsonPath::get(state, path), QJsonValue(2));
        QCOMPARE(state.value(u"k0"_s)[u"other"_s], QJsonValue(true));
        JsonPath::remove(state, path);
        QVERIFY(JsonPath::get(state, path).isUndefined());
        QVERIFY(JsonPath::get(state, path.mid(0, path.size() - 1)).isObject());
    }

    void childKey_data()
    {
        QTest::addColumn<QString>("parent");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("expected");

        QTest::newRow("top level") << QString() << u"clicks"_s << u"clicks"_s;
        QTest::newRow("nested") << u"a.b"_s << u"c"_s << u"a.b.c"_s;
        QTest::newRow("digits stay plain") << u"a"_s << u"0"_s << u"a.0"_s;
        QTest::newRow("non-ASCII stays plain") << u"a"_s << u"grüße"_s << u"a.grüße"_s;
        QTest::newRow("dot") << u"a"_s << u"x.y"_s << uR"(a["x.y"])"_s;
        QTest::newRow("dot at top level") << QString() << u"x.y"_s << uR"(["x.y"])"_s;
        QTest::newRow("empty key") << u"a"_s << QString() << uR"(a[""])"_s;
        QTest::newRow("space") << u"a"_s << u"first name"_s << uR"(a["first name"])"_s;
        QTest::newRow("tab") << u"a"_s << u"x\ty"_s << u"a[\"x\ty\"]"_s;
        QTest::newRow("brackets") << u"a"_s << u"b[0]"_s << uR"(a["b[0]"])"_s;
        // Plain literals: moc (Qt 6.4) lexes raw strings as plain ones and would lose track
        // of the class at these.
        QTest::newRow("closing bracket") << u"a"_s << u"b]"_s << u"a[\"b]\"]"_s;
        QTest::newRow("quote escaped") << u"a"_s << u"say \"hi\""_s << u"a[\"say \\\"hi\\\"\"]"_s;
        QTest::newRow("backslash alone stays plain") << u"a"_s << uR"(c:\x)"_s << uR"(a.c:\x)"_s;
        QTest::newRow("backslash escaped when quoted")
            << u"a"_s << uR"(x.\y)"_s << uR"(a["x.\\y"])"_s;
        QTest::newRow("after an index") << u"tags[1]"_s << u"k"_s << u"tags[1].k"_s;
    }
    void childKey()
    {
        QFETCH(QString, parent);
        QFETCH(QString, key);
        QFETCH(QString, expected);
        QCOMPARE(JsonPath::childKey(parent, key), expected);
    }

    void childIndex_data()
    {
        QTest::addColumn<QString>("parent");
        QTest::addColumn<qsizetype>("index");
        QTest::addColumn<QString>("expected");

        QTest::newRow("top level") << QString() << qsizetype(0) << u"[0]"_s;
        QTest::newRow("key") << u"tags"_s << qsizetype(12) << u"tags[12]"_s;
        QTest::newRow("nested array") << u"m[0]"_s << qsizetype(3) << u"m[0][3]"_s;
        QTest::newRow("quoted key") << uR"(a["x.y"])"_s << qsizetype(1) << uR"(a["x.y"][1])"_s;
    }
    void childIndex()
    {
        QFETCH(QString, parent);
        QFETCH(qsizetype, index);
        QFETCH(QString, expected);
        QCOMPARE(JsonPath::childIndex(parent, index), expected);
    }
};

QTEST_GUILESS_MAIN(TestJsonPath)
#include "tst_jsonpath.moc"
